// The CRDT rules (spec/crdt.md#merge-rules) as pure functions over RecordState. Local writes
// produce a state stamped after everything the record has seen; `mergeStates` is the join of
// the state semilattice: commutative, associative and idempotent.
import type { FieldValue } from './json-input.ts';
import { MAX_FIELDS } from './limits.ts';
import {
  type ClockEntry,
  compareStamps,
  type FieldRegister,
  isDeleted,
  type RecordState,
} from './record-state.ts';
import { tooLarge } from './store-errors.ts';
import { compareCodePoints } from './text.ts';

export type { FieldValue };

/**
 * `put` at stamp (hlc, actor): every field in `values` is set, every other field the record
 * knows becomes a tombstone. `values` is sorted by name in code point order.
 */
export function applyPut(
  prev: RecordState | undefined,
  values: readonly FieldValue[],
  hlc: bigint,
  actor: string,
): RecordState {
  // A known field missing from the new data becomes a tombstone stamped by this put.
  const fields = setFields(prev, values, hlc, actor, (old) => ({
    name: old.name,
    hlc,
    actor,
    value: undefined,
  }));
  return stamped(prev, fields, hlc, actor);
}

/** `patch` at stamp (hlc, actor): fields in `values` are set, the others keep their registers. */
export function applyPatch(
  prev: RecordState | undefined,
  values: readonly FieldValue[],
  hlc: bigint,
  actor: string,
): RecordState {
  const fields = setFields(prev, values, hlc, actor, (old) => old);
  return stamped(prev, fields, hlc, actor);
}

/**
 * Walks the record's registers and `values` (both sorted by name) together: fields in `values`
 * get a register stamped (hlc, actor); each register `values` does not mention is replaced by
 * what `unmentioned` returns for it.
 */
function setFields(
  prev: RecordState | undefined,
  values: readonly FieldValue[],
  hlc: bigint,
  actor: string,
  unmentioned: (old: FieldRegister) => FieldRegister,
): FieldRegister[] {
  const before = prev?.fields ?? [];
  const fields: FieldRegister[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length || j < values.length) {
    const old = before[i];
    const next = values[j];
    const order =
      old === undefined ? 1 : next === undefined ? -1 : compareCodePoints(old.name, next.name);
    if (order < 0 && old !== undefined) {
      fields.push(unmentioned(old));
      i++;
    } else if (next !== undefined) {
      fields.push({ name: next.name, hlc, actor, value: next.value });
      if (order === 0) i++;
      j++;
    }
  }
  return fields;
}

/**
 * `delete` at stamp (hlc, actor): the delete stamp moves to this stamp and every register is
 * dropped (all are older, so dead forever). `undefined` when there is nothing live to delete.
 */
export function applyDelete(
  prev: RecordState | undefined,
  hlc: bigint,
  actor: string,
): RecordState | undefined {
  if (prev === undefined || isDeleted(prev)) return undefined;
  return {
    hlc,
    actor,
    deletedHlc: hlc,
    deletedActor: actor,
    clock: bumpClock(prev.clock, actor),
    fields: [],
  };
}

function stamped(
  prev: RecordState | undefined,
  fields: FieldRegister[],
  hlc: bigint,
  actor: string,
): RecordState {
  if (fields.length > MAX_FIELDS) {
    throw tooLarge(
      `a record may hold ${MAX_FIELDS} fields (tombstones included), this one ${fields.length}`,
    );
  }
  return {
    hlc,
    actor,
    deletedHlc: prev?.deletedHlc ?? 0n,
    deletedActor: prev?.deletedActor ?? '',
    clock: bumpClock(prev?.clock ?? [], actor),
    fields,
  };
}

/** The vector clock after one more local change by `actor`. */
export function bumpClock(clock: readonly ClockEntry[], actor: string): ClockEntry[] {
  const out: ClockEntry[] = [];
  let done = false;
  for (const entry of clock) {
    const order = done ? -1 : compareCodePoints(entry.actor, actor);
    if (order === 0) {
      out.push({ actor, counter: entry.counter + 1n });
      done = true;
    } else {
      if (order > 0 && !done) {
        out.push({ actor, counter: 1n });
        done = true;
      }
      out.push(entry);
    }
  }
  if (!done) out.push({ actor, counter: 1n });
  return out;
}

/**
 * The join of two record states (spec/crdt.md#merge-rules): every register and stamp takes
 * the greater of the two, the vector clock the entry-wise maximum, and registers stamped at
 * or before the resulting delete stamp are dropped.
 */
export function mergeStates(a: RecordState, b: RecordState): RecordState {
  const last = compareStamps(a.hlc, a.actor, b.hlc, b.actor) >= 0 ? a : b;
  const del =
    compareStamps(a.deletedHlc, a.deletedActor, b.deletedHlc, b.deletedActor) >= 0 ? a : b;
  const fields: FieldRegister[] = [];
  let i = 0;
  let j = 0;
  while (i < a.fields.length || j < b.fields.length) {
    const x = a.fields[i];
    const y = b.fields[j];
    const order = x === undefined ? 1 : y === undefined ? -1 : compareCodePoints(x.name, y.name);
    let winner: FieldRegister | undefined;
    if (order < 0) {
      winner = x;
      i++;
    } else if (order > 0) {
      winner = y;
      j++;
    } else if (x !== undefined && y !== undefined) {
      winner = compareRegisters(x, y) >= 0 ? x : y;
      i++;
      j++;
    }
    if (winner && compareStamps(winner.hlc, winner.actor, del.deletedHlc, del.deletedActor) > 0) {
      fields.push(winner);
    }
  }
  if (fields.length > MAX_FIELDS) {
    throw tooLarge(
      `a merged record would hold ${fields.length} fields, the limit is ${MAX_FIELDS}`,
    );
  }
  return {
    hlc: last.hlc,
    actor: last.actor,
    deletedHlc: del.deletedHlc,
    deletedActor: del.deletedActor,
    clock: mergeClocks(a.clock, b.clock),
    fields,
  };
}

/**
 * Orders two registers of the same field: by stamp, and for equal stamps (only possible when
 * two replicas share an actor id) tombstone before value and then by value bytes, so the
 * choice never depends on the order of delivery.
 */
export function compareRegisters(x: FieldRegister, y: FieldRegister): number {
  const order = compareStamps(x.hlc, x.actor, y.hlc, y.actor);
  if (order !== 0) return order;
  if (x.value === undefined || y.value === undefined) {
    return (x.value === undefined ? 0 : 1) - (y.value === undefined ? 0 : 1);
  }
  return compareBytes(x.value, y.value);
}

function mergeClocks(a: readonly ClockEntry[], b: readonly ClockEntry[]): ClockEntry[] {
  const out: ClockEntry[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    const order = x === undefined ? 1 : y === undefined ? -1 : compareCodePoints(x.actor, y.actor);
    if (order < 0 && x !== undefined) {
      out.push(x);
      i++;
    } else if (order > 0 && y !== undefined) {
      out.push(y);
      j++;
    } else if (x !== undefined && y !== undefined) {
      out.push(x.counter >= y.counter ? x : y);
      i++;
      j++;
    }
  }
  return out;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) {
    const d = (a[k] as number) - (b[k] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
