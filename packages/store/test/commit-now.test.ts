// Writes committed in place (`commitNow`): committed before their promise settles, published
// in order with the batched ones, asked only when no write is pending, never with fsync.
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type StoreEvent } from '../src/index.ts';
import { removeTempDirs, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

describe('commitNow', () => {
  it('commits writes in place or batched, in issue order, and they survive a reopen', async () => {
    const path = tempDir();
    let asked = 0;
    const store = await openStore({ path, commitNow: () => ++asked % 2 === 1 });
    const events: StoreEvent[] = [];
    store.subscribe({}, (event) => events.push(event));
    // Alternating in place and batched, one at a time, then a burst issued in one turn.
    for (let i = 0; i < 10; i++) await store.put(`k${i}`, { i });
    await Promise.all([store.put('x', { n: 1 }), store.patch('x', { m: 2 }), store.delete('k0')]);
    expect(events.map((event) => event.id)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `k${i}`),
      'x',
      'x',
      'k0',
    ]);
    const seqs = events.map((event) => event.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(store.get('x')).toEqual({ n: 1, m: 2 });
    const lastSeq = store.stats().seq;
    await store.close();
    const reopened = await openStore({ path, commitNow: () => true });
    expect(reopened.get('k9')).toEqual({ i: 9 });
    expect(reopened.get('k0')).toBeUndefined();
    const after: bigint[] = [];
    reopened.subscribe({}, (event) => after.push(event.seq));
    await reopened.put('y', {});
    expect((after[0] as bigint) > lastSeq).toBe(true);
    await reopened.close();
  });

  it('is not asked while a batched write is pending, and the burst shares a commit', async () => {
    let asked = 0;
    const store = await openStore({
      path: tempDir(),
      commitNow: () => {
        asked++;
        return false;
      },
    });
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.put(`k${i}`, { i })));
    // Only the first write of the turn found nothing pending.
    expect(asked).toBe(1);
    await store.close();
  });

  it('is never asked with fsync durability', async () => {
    let asked = 0;
    const store = await openStore({
      path: tempDir(),
      durability: 'fsync',
      commitNow: () => {
        asked++;
        return true;
      },
    });
    await store.put('a', { v: 1 });
    await store.put('b', { v: 2 });
    expect(asked).toBe(0);
    expect(store.get('b')).toEqual({ v: 2 });
    await store.close();
  });

  it('a write committed in place is visible to a reader as soon as it was issued', async () => {
    const store = await openStore({ path: tempDir(), commitNow: () => true });
    const pending = store.put('a', { v: 1 });
    // Committed synchronously: no overlay involved, the committed data is already there.
    expect(store.stats().records).toBe(1);
    expect(store.get('a')).toEqual({ v: 1 });
    await pending;
    await store.close();
  });
});
