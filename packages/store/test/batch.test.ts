// A batch is all or nothing: one invalid op and nothing changes, no event fires
// (spec/crdt.md#batches).
import { ErrorCode } from '@pluresdb-ipc/protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BatchOp,
  MAX_KEY_BYTES,
  openStore,
  type Store,
  type StoreEvent,
} from '../src/index.ts';
import { expectIpcError, removeTempDirs, tempDir, utf8 } from './helpers.ts';

const cyclic: Record<string, unknown> = { a: 1 };
cyclic.self = cyclic;

// Each invalid op and the code it must be refused with.
const invalidOps: readonly (readonly [unknown, ErrorCode])[] = [
  [{ kind: 'put', id: '', data: {} }, ErrorCode.InvalidArgument],
  [{ kind: 'put', id: 'x'.repeat(MAX_KEY_BYTES + 1), data: {} }, ErrorCode.TooLarge],
  [{ kind: 'patch', id: 'lone\uD800', data: {} }, ErrorCode.InvalidArgument],
  [{ kind: 'put', id: 'ok', data: cyclic }, ErrorCode.InvalidArgument],
  [{ kind: 'put', id: 'ok', data: { u: undefined } }, ErrorCode.InvalidArgument],
  [{ kind: 'put', id: 'ok', data: [1, 2] }, ErrorCode.InvalidArgument],
  [{ kind: 'put', id: 'ok', json: utf8('{"a":') }, ErrorCode.InvalidArgument],
  [{ kind: 'patch', id: 'ok', json: utf8('[1]') }, ErrorCode.InvalidArgument],
  [{ kind: 'upsert', id: 'ok', data: {} }, ErrorCode.InvalidArgument],
  [{ kind: 'delete' }, ErrorCode.InvalidArgument],
  [null, ErrorCode.InvalidArgument],
];

const validOpArb: fc.Arbitrary<BatchOp> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('put' as const, 'patch' as const),
    id: fc.constantFrom('k0', 'k1', 'k2', 'k3'),
    data: fc.dictionary(fc.constantFrom('a', 'b'), fc.integer({ min: 0, max: 9 }), { maxKeys: 2 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), id: fc.constantFrom('k0', 'k1', 'k2', 'k3') }),
);

let store: Store;
const events: StoreEvent[] = [];

beforeAll(async () => {
  store = await openStore({ path: tempDir('batch') });
  store.subscribe({}, (event) => events.push(event));
});

afterAll(async () => {
  await store.close();
  removeTempDirs();
});

function snapshot(): unknown {
  return ['k0', 'k1', 'k2', 'k3', 'ok'].map((id) =>
    store.getRecordJson(id, { includeDeleted: true }),
  );
}

describe('batch', () => {
  it('applies nothing when one op is invalid, everything otherwise', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(validOpArb, { maxLength: 8 }),
        fc.nat(),
        fc.integer({ min: 0, max: invalidOps.length - 1 }),
        async (ops, at, which) => {
          const [bad, code] = invalidOps[which] as readonly [unknown, ErrorCode];
          const withBad = [...ops];
          withBad.splice(at % (ops.length + 1), 0, bad as BatchOp);
          const before = snapshot();
          const eventsBefore = events.length;
          const error = await expectIpcError(() => store.batch(withBad), code);
          expect(error.message).toContain('batch op');
          expect(snapshot()).toEqual(before);
          expect(events.length).toBe(eventsBefore);
          // The same batch without the bad op commits as one unit.
          const result = await store.batch(ops);
          expect(events.length - eventsBefore).toBe(result.count);
          expect(result.count).toBeLessThanOrEqual(ops.length);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('later ops in a batch see earlier ones', async () => {
    const result = await store.batch([
      { kind: 'put', id: 'seq', data: { a: 1 } },
      { kind: 'patch', id: 'seq', data: { b: 2 } },
      { kind: 'delete', id: 'seq' },
      { kind: 'patch', id: 'seq', data: { c: 3 } },
    ]);
    expect(result.count).toBe(4);
    expect(store.get('seq')).toEqual({ c: 3 });
    expect(store.getRecord('seq')?.clock).toEqual([{ actor: store.actor, counter: 4n }]);
  });
});
