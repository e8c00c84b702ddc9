// fast-check generators shared by the property tests. Small domains on purpose: few actors,
// few stamps, few field names, so ties and collisions (the hard cases) come up often.
import type { ClockEntry, FieldState } from '@pluresdb-ipc/protocol/messages';
import fc from 'fast-check';
import { packHlc } from '../src/index.ts';
import { type IncomingRecord, importRecord } from '../src/record-import.ts';
import type { RecordState } from '../src/record-state.ts';

const encoder = new TextEncoder();
const actors = ['a', 'b', 'c', '\u{1F600}', '\uE000'];
const names = ['f', 'g', 'h', 'é', '\u{1F600}x', '\uFFFDz'];
const values = ['1', '2', '"x"', 'null', '[1,{"a":2}]', '{"k":"v"}'];

/** An HLC stamp from a handful of milliseconds and counters. */
export const hlcArb = fc
  .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 2 }))
  .map(([ms, counter]) => packHlc(1_700_000_000_000 + ms, counter));

/** An actor id. */
export const actorArb = fc.constantFrom(...actors);

const fieldArb: fc.Arbitrary<FieldState> = fc.record({
  name: fc.constantFrom(...names),
  hlc: hlcArb,
  actor: actorArb,
  value: fc.option(
    fc.constantFrom(...values).map((v) => encoder.encode(v)),
    { nil: undefined },
  ),
});

const clockArb: fc.Arbitrary<ClockEntry[]> = fc.array(
  fc.record({ actor: actorArb, counter: fc.bigInt({ min: 0n, max: 5n }) }),
  { maxLength: 4 },
);

/** A wire-shaped record as another replica might send it (unnormalised). */
export const incomingArb: fc.Arbitrary<IncomingRecord> = fc
  .record({
    hlc: hlcArb,
    actor: actorArb,
    clock: clockArb,
    fields: fc.array(fieldArb, { maxLength: 6 }),
    deleted: fc.option(fc.tuple(hlcArb, actorArb), { nil: undefined }),
  })
  .map(({ hlc, actor, clock, fields, deleted }) => ({
    hlc,
    actor,
    clock,
    fields,
    deletedHlc: deleted?.[0] ?? 0n,
    deletedActor: deleted?.[1],
  }));

/** A normalised record state, as the store holds them. */
export const stateArb: fc.Arbitrary<RecordState> = incomingArb.map((record) =>
  importRecord(record, { maxMs: Number.MAX_SAFE_INTEGER }),
);
