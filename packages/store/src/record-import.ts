// Turns a record from another replica (StoreRecord or the wire's Record) into a RecordState
// the merge can trust (spec/crdt.md#merge-rules): every stamp checked, every value re-parsed
// and re-serialised canonically, derived parts (`data`, `deleted`) recomputed, not believed.
import type { ClockEntry, FieldState } from '@pluresdb-ipc/protocol/messages';
import { compareRegisters } from './crdt.ts';
import { hlcMs, isU64 } from './hlc.ts';
import type { FieldValue } from './json-input.ts';
import { checkFieldName, fieldValues, membersFromJson, membersFromObject } from './json-input.ts';
import { checkJsonValue } from './json-scan.ts';
import { checkActor } from './keys.ts';
import { compareStamps, type FieldRegister, type RecordState } from './record-state.ts';
import { invalidArgument } from './store-errors.ts';
import { compareCodePoints } from './text.ts';

/** The parts of a record a merge reads; both StoreRecord and the wire Record fit. */
export interface IncomingRecord {
  readonly hlc: bigint;
  readonly actor?: string | undefined;
  readonly clock?: readonly ClockEntry[] | undefined;
  readonly fields?: readonly FieldState[] | undefined;
  readonly deletedHlc: bigint;
  readonly deletedActor?: string | undefined;
  /** Used only when `fields` is absent: its fields are taken as stamped by (hlc, actor). */
  readonly data?: unknown;
}

/** Bounds for imported stamps. */
export interface ImportLimits {
  /** Largest accepted HLC milliseconds (wall clock + allowed drift). */
  readonly maxMs: number;
}

/** Validates and normalises `record` into a RecordState; throws `InvalidArgument` on bad input. */
export function importRecord(record: IncomingRecord, limits: ImportLimits): RecordState {
  if (typeof record !== 'object' || record === null)
    throw invalidArgument('record must be an object');
  checkStamp(record.hlc, 'record.hlc', limits);
  checkActor(record.actor, 'record.actor');
  const actor = record.actor;
  if (!isU64(record.deletedHlc)) throw invalidArgument('record.deletedHlc must be a u64 bigint');
  let deletedActor = '';
  if (record.deletedHlc !== 0n) {
    checkStamp(record.deletedHlc, 'record.deletedHlc', limits);
    checkActor(record.deletedActor, 'record.deletedActor');
    deletedActor = record.deletedActor;
  }
  let fields =
    record.fields === undefined ? fieldsFromData(record) : importFields(record.fields, limits);
  // Registers at or before the delete stamp are dead; the last-change stamp covers them all.
  let hlc = record.hlc;
  let lastActor = actor;
  fields = fields.filter((f) => compareStamps(f.hlc, f.actor, record.deletedHlc, deletedActor) > 0);
  for (const f of fields) {
    if (compareStamps(f.hlc, f.actor, hlc, lastActor) > 0) {
      hlc = f.hlc;
      lastActor = f.actor;
    }
  }
  if (compareStamps(record.deletedHlc, deletedActor, hlc, lastActor) > 0) {
    hlc = record.deletedHlc;
    lastActor = deletedActor;
  }
  return {
    hlc,
    actor: lastActor,
    deletedHlc: record.deletedHlc,
    deletedActor,
    clock: importClock(record.clock ?? []),
    fields,
  };
}

function checkStamp(hlc: unknown, what: string, limits: ImportLimits): asserts hlc is bigint {
  if (!isU64(hlc) || hlc === 0n) throw invalidArgument(`${what} must be a non-zero u64 bigint`);
  if (hlcMs(hlc) > limits.maxMs) {
    throw invalidArgument(
      `${what} is ${hlcMs(hlc) - limits.maxMs} ms beyond the allowed clock drift`,
    );
  }
}

function importFields(fields: readonly FieldState[], limits: ImportLimits): FieldRegister[] {
  if (!Array.isArray(fields)) throw invalidArgument('record.fields must be an array');
  const byName = new Map<string, FieldRegister>();
  for (const field of fields as readonly FieldState[]) {
    if (typeof field?.name !== 'string') throw invalidArgument('a field name must be a string');
    checkFieldName(field.name);
    const what = `field ${JSON.stringify(field.name)}`;
    checkStamp(field.hlc, `${what}.hlc`, limits);
    checkActor(field.actor, `${what}.actor`);
    const value = field.value;
    if (value !== undefined) checkJsonValue(value, `${what}.value`);
    const register: FieldRegister = { name: field.name, hlc: field.hlc, actor: field.actor, value };
    // A name listed twice keeps its greater register, whatever the order of the list.
    const other = byName.get(field.name);
    if (other === undefined || compareRegisters(register, other) > 0)
      byName.set(field.name, register);
  }
  return [...byName.values()].sort((a, b) => compareCodePoints(a.name, b.name));
}

function fieldsFromData(record: IncomingRecord): FieldRegister[] {
  if (record.data === undefined || record.data === null) return [];
  const values: FieldValue[] = fieldValues(
    record.data instanceof Uint8Array
      ? membersFromJson(record.data)
      : membersFromObject(record.data),
  );
  const actor = record.actor as string;
  return values.map(({ name, value }) => ({ name, hlc: record.hlc, actor, value }));
}

function importClock(clock: readonly ClockEntry[]): ClockEntry[] {
  if (!Array.isArray(clock)) throw invalidArgument('record.clock must be an array');
  const byActor = new Map<string, bigint>();
  for (const entry of clock as readonly ClockEntry[]) {
    checkActor(entry?.actor, 'a clock entry actor');
    if (!isU64(entry.counter)) throw invalidArgument('a clock counter must be a u64 bigint');
    const seen = byActor.get(entry.actor);
    if (seen === undefined || entry.counter > seen) byActor.set(entry.actor, entry.counter);
  }
  return [...byActor]
    .sort((a, b) => compareCodePoints(a[0], b[0]))
    .map(([actor, counter]) => ({ actor, counter }));
}
