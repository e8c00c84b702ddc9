// Conditional writes (spec/crdt.md#conditional-writes): ifAbsent and ifHlc hold or the write
// fails with Conflict, writes nothing and fires no event; pipelined writes see the versions
// issued before them.
import { ErrorCode } from '@pluresdb-ipc/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store, type StoreEvent } from '../src/index.ts';
import { expectIpcError, removeTempDirs, tempDir, utf8 } from './helpers.ts';

let store: Store;
const events: StoreEvent[] = [];

beforeAll(async () => {
  store = await openStore({ path: tempDir('conditional') });
  store.subscribe({}, (event) => events.push(event));
});

afterAll(async () => {
  await store.close();
  removeTempDirs();
});

describe('ifAbsent', () => {
  it('puts a new or deleted record, refuses a live one', async () => {
    expect((await store.put('a/1', { v: 1 }, { ifAbsent: true })).count).toBe(1);
    const before = store.getRecordJson('a/1');
    const eventsBefore = events.length;
    const error = await expectIpcError(
      () => store.put('a/1', { v: 2 }, { ifAbsent: true }),
      ErrorCode.Conflict,
    );
    expect(error.message).toMatch(/expected no live record.*found one at hlc \d+/);
    await expectIpcError(
      () => store.patchJson('a/1', utf8('{"w":1}'), { ifAbsent: true }),
      ErrorCode.Conflict,
    );
    await expectIpcError(() => store.delete('a/1', { ifAbsent: true }), ErrorCode.Conflict);
    expect(store.getRecordJson('a/1')).toEqual(before);
    expect(events.length).toBe(eventsBefore);
    await store.delete('a/1');
    expect((await store.patch('a/1', { v: 3 }, { ifAbsent: true })).count).toBe(1);
    expect(store.get('a/1')).toEqual({ v: 3 });
  });
});

describe('ifHlc', () => {
  it('writes only over the version it names', async () => {
    const first = await store.put('h/1', { v: 1 });
    const second = await store.put('h/1', { v: 2 }, { ifHlc: first.hlc });
    expect(second.count).toBe(1);
    const error = await expectIpcError(
      () => store.put('h/1', { v: 3 }, { ifHlc: first.hlc }),
      ErrorCode.Conflict,
    );
    expect(error.message).toContain(`expected hlc ${first.hlc} (ifHlc), found hlc ${second.hlc}`);
    await expectIpcError(() => store.delete('h/1', { ifHlc: first.hlc }), ErrorCode.Conflict);
    expect(store.get('h/1')).toEqual({ v: 2 });
    const deleted = await store.delete('h/1', { ifHlc: second.hlc });
    expect(deleted.count).toBe(1);
    // A deleted record's HLC is its delete's: a write can be made conditional on it too.
    const missing = await expectIpcError(
      () => store.put('h/1', { v: 4 }, { ifHlc: second.hlc }),
      ErrorCode.Conflict,
    );
    expect(missing.message).toContain(`found a deleted record at hlc ${deleted.hlc}`);
    expect((await store.put('h/1', { v: 4 }, { ifHlc: deleted.hlc })).count).toBe(1);
    const never = await expectIpcError(
      () => store.put('h/never', {}, { ifHlc: 5n }),
      ErrorCode.Conflict,
    );
    expect(never.message).toContain('found no record');
  });

  it('0n means no condition; bad options are refused', async () => {
    await store.put('z/1', { v: 1 });
    expect((await store.put('z/1', { v: 2 }, { ifHlc: 0n, ifAbsent: false })).count).toBe(1);
    await expectIpcError(() => store.put('z/1', {}, { ifHlc: -1n }), ErrorCode.InvalidArgument);
    await expectIpcError(
      () => store.put('z/1', {}, { ifHlc: 1 as unknown as bigint }),
      ErrorCode.InvalidArgument,
    );
    await expectIpcError(
      () => store.put('z/1', {}, { ifAbsent: 'yes' as unknown as boolean }),
      ErrorCode.InvalidArgument,
    );
  });
});

describe('pipelined writes', () => {
  it('check against the version issued before them, not the committed one', async () => {
    // Both issued before either commits: the second sees the first's record.
    const first = store.put('p/1', { v: 1 }, { ifAbsent: true });
    const second = store.put('p/1', { v: 2 }, { ifAbsent: true });
    second.catch(() => {}); // checked below, once the first is in
    expect((await first).count).toBe(1);
    await expectIpcError(() => second, ErrorCode.Conflict);
    const a = await store.put('p/2', { v: 1 });
    const b = store.put('p/2', { v: 2 }, { ifHlc: a.hlc });
    const c = store.put('p/2', { v: 3 }, { ifHlc: a.hlc });
    c.catch(() => {});
    expect((await b).count).toBe(1);
    await expectIpcError(() => c, ErrorCode.Conflict);
    expect(store.get('p/2')).toEqual({ v: 2 });
  });
});

describe('batch conditions', () => {
  it('any failing condition fails the whole batch; later ops see earlier ones', async () => {
    const live = await store.put('b/live', { v: 1 });
    const eventsBefore = events.length;
    const error = await expectIpcError(
      () =>
        store.batch([
          { kind: 'put', id: 'b/new', data: { v: 1 }, ifAbsent: true },
          { kind: 'delete', id: 'b/live', ifHlc: live.hlc + 1n },
        ]),
      ErrorCode.Conflict,
    );
    expect(error.message).toMatch(/^\[Conflict\] batch op 1: key "b\/live": expected hlc/);
    expect(store.get('b/new')).toBeUndefined();
    expect(events.length).toBe(eventsBefore);
    // Op 1 sees op 0's record: it is no longer absent.
    await expectIpcError(
      () =>
        store.batch([
          { kind: 'put', id: 'b/twice', data: {}, ifAbsent: true },
          { kind: 'put', id: 'b/twice', data: {}, ifAbsent: true },
        ]),
      ErrorCode.Conflict,
    );
    const ok = await store.batch([
      { kind: 'put', id: 'b/new', data: { v: 1 }, ifAbsent: true },
      { kind: 'delete', id: 'b/live', ifHlc: live.hlc },
    ]);
    expect(ok.count).toBe(2);
  });
});
