// The in-memory form of a record's CRDT state (spec/crdt.md#data-model). Everything else
// (the stored bytes, the public StoreRecord, the wire Record) is converted to and from this.
import type { ClockEntry } from '@pluresdb-ipc/protocol/messages';
import { compareCodePoints } from './text.ts';

export type { ClockEntry };

/** One last-writer-wins register: a top-level field of a record's data. */
export interface FieldRegister {
  /** The field's name. */
  readonly name: string;
  /** HLC timestamp of the write that set the register. */
  readonly hlc: bigint;
  /** The actor that performed that write. */
  readonly actor: string;
  /** The value as UTF-8 JSON bytes; `undefined` when the field was removed (a tombstone). */
  readonly value: Uint8Array | undefined;
}

/** A record's full CRDT state. */
export interface RecordState {
  /** Stamp (HLC, actor) of the latest change of any kind: the record's existence register. */
  readonly hlc: bigint;
  readonly actor: string;
  /** Stamp of the latest record-level delete; `0n` and `''` when never deleted. */
  readonly deletedHlc: bigint;
  readonly deletedActor: string;
  /** Vector clock, sorted by actor in code point order, one entry per actor. */
  readonly clock: readonly ClockEntry[];
  /** Registers sorted by name in code point order; each is stamped after the delete stamp. */
  readonly fields: readonly FieldRegister[];
}

/**
 * Orders two stamps: by HLC, then by actor id in code point order, so every replica picks the
 * same winner. Returns a negative number, zero or a positive number.
 */
export function compareStamps(hlcA: bigint, actorA: string, hlcB: bigint, actorB: string): number {
  if (hlcA !== hlcB) return hlcA < hlcB ? -1 : 1;
  return compareCodePoints(actorA, actorB);
}

/** A record is deleted when its latest change is the delete itself. */
export function isDeleted(state: RecordState): boolean {
  return (
    state.deletedHlc !== 0n && state.deletedHlc === state.hlc && state.deletedActor === state.actor
  );
}

/** The record's live fields: registers holding a value. */
export function liveFields(state: RecordState): FieldRegister[] {
  return state.fields.filter((field) => field.value !== undefined);
}
