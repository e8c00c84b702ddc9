// The merge is a join: commutative, associative, idempotent (spec/crdt.md#merge-rules).
// States are compared through their canonical stored encoding, byte for byte.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDelete, applyPatch, applyPut, mergeStates } from '../src/crdt.ts';
import { hlcMs, packHlc } from '../src/index.ts';
import { encodeRecord } from '../src/record-codec.ts';
import { compareStamps, isDeleted, type RecordState } from '../src/record-state.ts';
import { stateArb } from './arbitraries.ts';
import { text } from './helpers.ts';

const bytes = (state: RecordState) => Buffer.from(encodeRecord(state, 1 << 20)).toString('hex');
const runs = { numRuns: 2000 };

describe('merge laws', () => {
  it('is commutative', () => {
    fc.assert(
      fc.property(stateArb, stateArb, (a, b) => {
        expect(bytes(mergeStates(a, b))).toBe(bytes(mergeStates(b, a)));
      }),
      runs,
    );
  });

  it('is associative', () => {
    fc.assert(
      fc.property(stateArb, stateArb, stateArb, (a, b, c) => {
        expect(bytes(mergeStates(mergeStates(a, b), c))).toBe(
          bytes(mergeStates(a, mergeStates(b, c))),
        );
      }),
      runs,
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(stateArb, stateArb, (a, b) => {
        expect(bytes(mergeStates(a, a))).toBe(bytes(a));
        const ab = mergeStates(a, b);
        expect(bytes(mergeStates(ab, b))).toBe(bytes(ab));
      }),
      runs,
    );
  });

  it('never lets a register at or before the delete stamp survive', () => {
    fc.assert(
      fc.property(stateArb, stateArb, (a, b) => {
        const merged = mergeStates(a, b);
        for (const field of merged.fields) {
          const order = compareStamps(
            field.hlc,
            field.actor,
            merged.deletedHlc,
            merged.deletedActor,
          );
          expect(order).toBeGreaterThan(0);
        }
      }),
      runs,
    );
  });

  it('keeps the stamps consistent: the last change covers every register and the delete', () => {
    fc.assert(
      fc.property(stateArb, stateArb, (a, b) => {
        const merged = mergeStates(a, b);
        for (const field of merged.fields) expect(field.hlc <= merged.hlc).toBe(true);
        expect(merged.deletedHlc <= merged.hlc).toBe(true);
      }),
      runs,
    );
  });
});

describe('local writes', () => {
  const t = (n: number) => packHlc(1_700_000_000_000 + n, 0);
  const v = (data: Record<string, number>) =>
    Object.entries(data).map(([name, value]) => ({
      name,
      value: Buffer.from(JSON.stringify(value)),
    }));

  it('put replaces: missing fields become tombstones stamped by the put', () => {
    const one = applyPut(undefined, v({ a: 1, b: 2 }), t(1), 'x');
    const two = applyPut(one, v({ b: 3 }), t(2), 'x');
    expect(two.fields.map((f) => [f.name, f.hlc, f.actor, text(f.value)])).toEqual([
      ['a', t(2), 'x', undefined],
      ['b', t(2), 'x', '3'],
    ]);
    expect(two.clock).toEqual([{ actor: 'x', counter: 2n }]);
  });

  it('patch keeps the fields it does not name', () => {
    const one = applyPut(undefined, v({ a: 1 }), t(1), 'x');
    const two = applyPatch(one, v({ b: 2 }), t(2), 'y');
    expect(two.fields.map((f) => [f.name, text(f.value), f.actor])).toEqual([
      ['a', '1', 'x'],
      ['b', '2', 'y'],
    ]);
    expect(two.clock).toEqual([
      { actor: 'x', counter: 1n },
      { actor: 'y', counter: 1n },
    ]);
  });

  it('a concurrent older write loses to a delete; a newer one revives only its own fields', () => {
    const base = applyPut(undefined, v({ a: 1, b: 2 }), t(1), 'x');
    const deleted = applyDelete(base, t(5), 'x') as RecordState;
    expect(isDeleted(deleted)).toBe(true);
    const olderPatch = applyPatch(base, v({ a: 9 }), t(3), 'y');
    const merged = mergeStates(deleted, olderPatch);
    expect(isDeleted(merged)).toBe(true);
    expect(merged.fields).toEqual([]);
    const newerPatch = applyPatch(base, v({ a: 9 }), t(7), 'y');
    const revived = mergeStates(deleted, newerPatch);
    expect(isDeleted(revived)).toBe(false);
    expect(revived.fields.map((f) => [f.name, text(f.value)])).toEqual([['a', '9']]);
    expect(hlcMs(revived.hlc)).toBe(hlcMs(t(7)));
  });

  it('delete of a deleted record changes nothing', () => {
    const base = applyPut(undefined, v({ a: 1 }), t(1), 'x');
    const deleted = applyDelete(base, t(2), 'x') as RecordState;
    expect(applyDelete(deleted, t(3), 'x')).toBeUndefined();
    expect(applyDelete(undefined, t(3), 'x')).toBeUndefined();
  });
});
