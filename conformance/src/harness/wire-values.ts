// Conversions between the client's values (bigint, Uint8Array) and their JSON-lines forms
// (decimal strings, base64): the driver's side of driver-protocol.ts.
import { Buffer } from 'node:buffer';
import type { ChangeEvent, WriteOutcome } from '@pluresdb-ipc/protocol';
import type { StatsResult, Record as WireRecord } from '@pluresdb-ipc/protocol/messages';
import type { ChangeJson, OutcomeJson, RecordJson, StatsJson } from './driver-protocol.ts';

/** Bytes as base64. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Base64 back to bytes (a copy, never a view of a pooled buffer). */
export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** A write's outcome. */
export function outcomeJson(outcome: WriteOutcome): OutcomeJson {
  return { hlc: outcome.hlc.toString(), count: outcome.count };
}

/** A record with its metadata. */
export function recordJson(record: WireRecord): RecordJson {
  return {
    key: record.key,
    data: record.data === undefined ? null : toBase64(record.data),
    clock: (record.clock ?? []).map((entry) => ({
      actor: entry.actor,
      counter: entry.counter.toString(),
    })),
    hlc: record.hlc.toString(),
    actor: record.actor ?? null,
    deleted: record.deleted,
    fields: (record.fields ?? []).map((field) => ({
      name: field.name,
      value: field.value === undefined ? null : toBase64(field.value),
      hlc: field.hlc.toString(),
      actor: field.actor,
    })),
    deletedHlc: record.deletedHlc.toString(),
    deletedActor: record.deletedActor ?? null,
  };
}

/** The inverse of {@link recordJson}, for `merge`. */
export function recordFromJson(json: RecordJson): WireRecord {
  return {
    key: json.key,
    data: json.data === null ? undefined : fromBase64(json.data),
    clock: json.clock.map((entry) => ({ actor: entry.actor, counter: BigInt(entry.counter) })),
    hlc: BigInt(json.hlc),
    actor: json.actor ?? undefined,
    deleted: json.deleted,
    fields: json.fields.map((field) => ({
      name: field.name,
      value: field.value === null ? undefined : fromBase64(field.value),
      hlc: BigInt(field.hlc),
      actor: field.actor,
    })),
    deletedHlc: BigInt(json.deletedHlc),
    deletedActor: json.deletedActor ?? undefined,
  };
}

/** Server statistics. */
export function statsJson(stats: StatsResult): StatsJson {
  return {
    records: stats.records.toString(),
    tombstones: stats.tombstones.toString(),
    storeBytes: stats.storeBytes.toString(),
    clients: stats.clients,
    subscriptions: stats.subscriptions,
    requests: stats.requests.toString(),
    uptimeMs: stats.uptimeMs.toString(),
    serverVersion: stats.serverVersion ?? null,
  };
}

/** A subscription event. */
export function changeJson(change: ChangeEvent): ChangeJson {
  return {
    kind: change.kind,
    key: change.key,
    seq: change.seq.toString(),
    hlc: change.hlc.toString(),
    value: change.value ?? null,
    actor: change.actor ?? null,
  };
}
