// N replicas, each a real store on disk, make random writes and receive each other's record
// states in random order, with duplicates and stale copies; once everyone has seen everyone's
// final state they hold identical records (spec/crdt.md#convergence).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store, type StoreRecord } from '../src/index.ts';
import { removeTempDirs, tempDir } from './helpers.ts';

const REPLICAS = 3;
const ids = ['k0', 'k1', 'k2'];
const fieldNames = ['a', 'b', 'c'];

type Step =
  | {
      readonly type: 'write';
      readonly replica: number;
      readonly kind: 'put' | 'patch' | 'delete';
      readonly id: string;
      readonly data: Record<string, number>;
    }
  | { readonly type: 'deliver'; readonly pick: number; readonly replica: number };

const writeArb: fc.Arbitrary<Step> = fc.record({
  type: fc.constant('write' as const),
  replica: fc.integer({ min: 0, max: REPLICAS - 1 }),
  kind: fc.constantFrom('put' as const, 'patch' as const, 'delete' as const),
  id: fc.constantFrom(...ids),
  data: fc.dictionary(fc.constantFrom(...fieldNames), fc.integer({ min: 0, max: 3 }), {
    maxKeys: 3,
  }),
});
const deliverArb: fc.Arbitrary<Step> = fc.record({
  type: fc.constant('deliver' as const),
  pick: fc.nat(),
  replica: fc.integer({ min: 0, max: REPLICAS - 1 }),
});

let stores: Store[] = [];
let run = 0;

beforeAll(async () => {
  stores = await Promise.all(
    Array.from({ length: REPLICAS }, (_, i) =>
      openStore({ path: tempDir(`replica${i}`), actor: `replica-${i}` }),
    ),
  );
});

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  removeTempDirs();
});

function replica(index: number): Store {
  return stores[index] as Store;
}

describe('convergence', () => {
  it('replicas receiving random ops in random orders, with duplicates, converge', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(writeArb, deliverArb), { minLength: 1, maxLength: 25 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        async (steps, shuffle) => {
          // Every run uses its own keys, so runs share the stores without interfering.
          const ns = `run${run++}/`;
          const sent: StoreRecord[] = [];
          const snapshot = (r: number, id: string) => {
            const record = replica(r).getRecord(ns + id, { includeDeleted: true });
            if (record !== undefined) sent.push(record);
          };
          for (const step of steps) {
            if (step.type === 'write') {
              const store = replica(step.replica);
              const id = ns + step.id;
              if (step.kind === 'delete') await store.delete(id);
              else await store[step.kind](id, step.data);
              snapshot(step.replica, step.id);
            } else if (sent.length > 0) {
              await replica(step.replica).merge(sent[step.pick % sent.length] as StoreRecord);
            }
          }
          // Final exchange: every replica's final state to every replica, in a shuffled
          // order, with stale snapshots and duplicates mixed in.
          for (let r = 0; r < REPLICAS; r++) for (const id of ids) snapshot(r, id);
          const deliveries = sent.flatMap((record) =>
            Array.from({ length: REPLICAS }, (_, r) => ({ record, r })),
          );
          const distinct = deliveries.length;
          for (const n of shuffle) {
            const again = deliveries[n % Math.max(1, distinct)];
            if (again !== undefined) deliveries.push(again);
          }
          shuffleInPlace(deliveries, shuffle);
          for (const { record, r } of deliveries) await replica(r).merge(record);

          for (const id of ids) {
            const states = stores.map((store) =>
              store.getRecordJson(ns + id, { includeDeleted: true }),
            );
            const data = stores.map((store) => store.get(ns + id));
            for (let r = 1; r < REPLICAS; r++) {
              expect(states[r]).toEqual(states[0]);
              expect(data[r]).toEqual(data[0]);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

function shuffleInPlace<T>(items: T[], randomness: readonly number[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = (randomness[i % Math.max(1, randomness.length)] ?? i * 7919) % (i + 1);
    const a = items[i] as T;
    items[i] = items[j] as T;
    items[j] = a;
  }
}
