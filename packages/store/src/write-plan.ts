// Turns write requests into Changes (new stored versions), without touching the database:
// every check and every encoding happens here, before the commit queue issues anything, so a
// request that fails leaves the store unchanged (spec/crdt.md#batches).
import type { Buffer } from 'node:buffer';
import { IpcError } from '@pluresdb-ipc/protocol';
import type { Change, CurrentVersion } from './change.ts';
import { applyDelete, mergeStates } from './crdt.ts';
import { encodeLocalWrite, type LocalActor } from './fast-write.ts';
import type { HybridClock } from './hlc.ts';
import { membersFromJson, membersFromObject } from './json-input.ts';
import { decodeRecord, encodeRecord } from './record-codec.ts';
import { isDeleted, type RecordState } from './record-state.ts';
import { checkCondition, type WriteCondition } from './write-condition.ts';

/** What planning needs from the store. */
export interface PlanContext {
  readonly clock: HybridClock;
  readonly actor: LocalActor;
  readonly maxValueBytes: number;
  /** The version of a record that a write builds on. */
  read(id: string): CurrentVersion | undefined;
}

/**
 * A local write with a validated key. Its data (an object, or JSON bytes) is validated when
 * the write is planned: still before anything is issued.
 */
export type LocalWrite = (
  | { readonly kind: 'put' | 'patch'; readonly id: string; readonly data: unknown }
  | { readonly kind: 'put' | 'patch'; readonly id: string; readonly json: Uint8Array }
  | { readonly kind: 'delete'; readonly id: string }
) & {
  /** Checked against the version the write builds on; `Conflict` when it does not hold. */
  readonly condition?: WriteCondition | undefined;
};

/** The change a local write makes; `undefined` when it changes nothing (delete of nothing). */
export function planLocal(context: PlanContext, write: LocalWrite): Change | undefined {
  if (write.condition !== undefined)
    checkCondition(write.id, context.read(write.id), write.condition);
  if (write.kind === 'delete') return planDelete(context, write.id);
  const members = 'json' in write ? membersFromJson(write.json) : membersFromObject(write.data);
  const current = context.read(write.id);
  if (current !== undefined) {
    // Stamp after everything this record has seen, even if the wall clock went back since.
    const bytes = current.bytes;
    if (bytes.length >= 16)
      context.clock.observeParts(bytes.readUInt32LE(8), bytes.readUInt32LE(12));
  }
  const hlc = context.clock.now();
  const { actor } = context;
  let bytes: Buffer;
  try {
    bytes = encodeLocalWrite(
      current?.bytes,
      members,
      write.kind,
      hlc,
      actor,
      context.maxValueBytes,
    );
  } finally {
    members.release();
  }
  return { id: write.id, bytes, live: true, from: current?.location, hlc, actor: actor.id };
}

function planDelete(context: PlanContext, id: string): Change | undefined {
  const current = context.read(id);
  if (current?.location !== 'records') return undefined;
  const prev: RecordState = decodeRecord(current.bytes);
  context.clock.observe(prev.hlc);
  const hlc = context.clock.now();
  const actor = context.actor.id;
  const next = applyDelete(prev, hlc, actor);
  if (next === undefined) return undefined;
  const bytes = encodeRecord(next, context.maxValueBytes);
  return { id, bytes, live: false, from: current.location, hlc, actor };
}

/** The change merging `incoming` into record `id` makes; `undefined` when it changes nothing. */
export function planMerge(
  context: PlanContext,
  id: string,
  incoming: RecordState,
): Change | undefined {
  const current = context.read(id);
  const merged =
    current === undefined ? incoming : mergeStates(decodeRecord(current.bytes), incoming);
  const bytes = encodeRecord(merged, context.maxValueBytes);
  // The encoding is canonical, so equal bytes mean the merge learned nothing new.
  if (current !== undefined && sameBytes(bytes, current.bytes)) return undefined;
  context.clock.observe(merged.hlc);
  return {
    id,
    bytes,
    live: !isDeleted(merged),
    from: current?.location,
    hlc: merged.hlc,
    actor: merged.actor,
  };
}

/**
 * Plans several writes as one unit: each sees the versions the earlier ones produce. Throws
 * (and plans nothing) if any one of them is invalid.
 */
export function planBatch(context: PlanContext, writes: readonly LocalWrite[]): Change[] {
  const staged = new Map<string, CurrentVersion>();
  const inner: PlanContext = { ...context, read: (id) => staged.get(id) ?? context.read(id) };
  const changes: Change[] = [];
  for (let index = 0; index < writes.length; index++) {
    let change: Change | undefined;
    try {
      change = planLocal(inner, writes[index] as LocalWrite);
    } catch (error) {
      if (!IpcError.is(error)) throw error;
      throw new IpcError(error.code, `batch op ${index}: ${error.rawMessage}`, { cause: error });
    }
    if (change === undefined) continue;
    changes.push(change);
    staged.set(change.id, {
      bytes: change.bytes,
      location: change.live ? 'records' : 'tombstones',
      volatile: false,
    });
  }
  return changes;
}

// By `length`, not `byteLength`: lmdb-js's reused read buffer is longer than its value.
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  const n = a.length;
  if (n !== b.length) return false;
  for (let k = 0; k < n; k++) if (a[k] !== b[k]) return false;
  return true;
}
