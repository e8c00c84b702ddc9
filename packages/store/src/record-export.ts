// Views of a stored record for callers: the public StoreRecord (data parsed) and the wire's
// Record (data as JSON bytes), both built from the stored bytes without re-serialising.
import type { Buffer } from 'node:buffer';
import type { FieldState, Record as WireRecord } from '@pluresdb-ipc/protocol/messages';
import { dataJson, decodeRecord } from './record-codec.ts';
import { isDeleted, type RecordState } from './record-state.ts';
import type { JsonObject, StoreRecord } from './types.ts';

/** The wire form of the stored record `bytes` (an owned buffer) under key `id`. */
export function toWireRecord(id: string, bytes: Buffer): WireRecord {
  const state = decodeRecord(bytes);
  const deleted = isDeleted(state);
  return {
    key: id,
    data: deleted ? undefined : dataJson(bytes),
    clock: state.clock,
    hlc: state.hlc,
    actor: state.actor,
    deleted,
    fields: fieldStates(state),
    deletedHlc: state.deletedHlc,
    deletedActor: state.deletedHlc === 0n ? undefined : state.deletedActor,
  };
}

/** The public form of the stored record `bytes` (an owned buffer) under key `id`. */
export function toStoreRecord(id: string, bytes: Buffer): StoreRecord {
  const wire = toWireRecord(id, bytes);
  return {
    id,
    data: wire.deleted ? undefined : (JSON.parse(dataJson(bytes).toString('utf8')) as JsonObject),
    clock: wire.clock ?? [],
    hlc: wire.hlc,
    actor: wire.actor ?? '',
    deleted: wire.deleted,
    fields: wire.fields ?? [],
    deletedHlc: wire.deletedHlc,
    deletedActor: wire.deletedActor,
  };
}

function fieldStates(state: RecordState): FieldState[] {
  return state.fields.map((field) => ({
    name: field.name,
    value: field.value,
    hlc: field.hlc,
    actor: field.actor,
  }));
}
