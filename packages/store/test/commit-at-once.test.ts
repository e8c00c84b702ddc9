// Writes committed at once, in place, inside `commitTogether` while its `nothingWaiting` says so:
// committed before their promise settles, published in order with the batched and held ones,
// asked only when no write is pending or held, never with fsync.
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type StoreEvent } from '../src/index.ts';
import { removeTempDirs, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

describe('commitTogether with nothingWaiting', () => {
  it('commits writes in place or batched, in issue order, and they survive a reopen', async () => {
    const path = tempDir();
    let asked = 0;
    const alternate = () => ++asked % 2 === 1;
    const store = await openStore({ path });
    const events: StoreEvent[] = [];
    store.subscribe({}, (event) => events.push(event));
    // Alternating in place and batched, one at a time, then a burst issued in one call: the
    // first of it at once, the others held and committed together.
    for (let i = 0; i < 10; i++) {
      const put = () => store.put(`k${i}`, { i });
      await (i % 2 === 0 ? store.commitTogether(put, () => true) : put());
    }
    await Promise.all(
      store.commitTogether(
        () => [store.put('x', { n: 1 }), store.patch('x', { m: 2 }), store.delete('k0')],
        alternate,
      ),
    );
    // Asked for the first write (at once) and the second (held); the third joined the second.
    expect(asked).toBe(2);
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
    const reopened = await openStore({ path });
    expect(reopened.get('k9')).toEqual({ i: 9 });
    expect(reopened.get('k0')).toBeUndefined();
    const after: bigint[] = [];
    reopened.subscribe({}, (event) => after.push(event.seq));
    await reopened.commitTogether(
      () => reopened.put('y', {}),
      () => true,
    );
    expect((after[0] as bigint) > lastSeq).toBe(true);
    await reopened.close();
  });

  it('is not asked while a write is pending or held, and the burst shares a commit', async () => {
    let asked = 0;
    const nothingWaiting = () => {
      asked++;
      return false;
    };
    const store = await openStore({ path: tempDir() });
    // A batched write in flight: the call holds nothing and asks nothing.
    const older = store.put('a', { v: 0 });
    const newer = store.commitTogether(() => store.put('b', { v: 0 }), nothingWaiting);
    expect(asked).toBe(0);
    await Promise.all([older, newer]);
    const burst = store.commitTogether(
      () => Array.from({ length: 20 }, (_, i) => store.put(`k${i}`, { i })),
      nothingWaiting,
    );
    // Only the first write found nothing pending or held; the others joined it.
    expect(asked).toBe(1);
    expect(store.get('k19')).toEqual({ i: 19 });
    await Promise.all(burst);
    await store.close();
  });

  it('is never asked with fsync durability', async () => {
    let asked = 0;
    const nothingWaiting = () => {
      asked++;
      return true;
    };
    const store = await openStore({ path: tempDir(), durability: 'fsync' });
    await store.commitTogether(() => store.put('a', { v: 1 }), nothingWaiting);
    await store.commitTogether(() => store.put('b', { v: 2 }), nothingWaiting);
    expect(asked).toBe(0);
    expect(store.get('b')).toEqual({ v: 2 });
    await store.close();
  });

  it('a write committed in place is visible to a reader as soon as it was issued', async () => {
    const store = await openStore({ path: tempDir() });
    const pending = store.commitTogether(
      () => {
        const write = store.put('a', { v: 1 });
        // Committed synchronously: no overlay involved, the committed data is already there.
        expect(store.stats().records).toBe(1);
        expect(store.get('a')).toEqual({ v: 1 });
        return write;
      },
      () => true,
    );
    await pending;
    await store.close();
  });
});
