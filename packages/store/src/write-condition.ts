// Conditional writes (spec/crdt.md#conditional-writes): a put, patch or delete that goes
// ahead only when the record is as the caller last saw it. The condition is checked against
// the version the write builds on (the newest issued one, write-overlay.ts), so a write
// pipelined behind another to the same key sees that one's result, as it would once both
// committed.
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import type { CurrentVersion } from './change.ts';
import { invalidArgument } from './store-errors.ts';

/** The conditions a local write may carry; both must hold when both are given. */
export interface WriteCondition {
  /** Write only when the record is not live (never written, or deleted). */
  readonly ifAbsent?: boolean | undefined;
  /**
   * Write only when the record's current HLC (`StoreRecord.hlc`, live or deleted) equals this;
   * `0n` or absent: no condition.
   */
  readonly ifHlc?: bigint | undefined;
}

/** The condition of `options`, checked; `undefined` when it sets none. */
export function writeCondition(options: WriteCondition | undefined): WriteCondition | undefined {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== 'object') throw invalidArgument('write options must be an object');
  const { ifAbsent, ifHlc } = options;
  if (ifAbsent !== undefined && typeof ifAbsent !== 'boolean') {
    throw invalidArgument(`ifAbsent must be a boolean, got ${typeof ifAbsent}`);
  }
  if (ifHlc !== undefined && (typeof ifHlc !== 'bigint' || ifHlc < 0n || ifHlc >= 1n << 64n)) {
    throw invalidArgument('ifHlc must be a bigint from 0 to 2^64 - 1');
  }
  const absent = ifAbsent === true;
  const hlc = ifHlc !== undefined && ifHlc !== 0n;
  if (!absent && !hlc) return undefined;
  return { ...(absent ? { ifAbsent: true } : {}), ...(hlc ? { ifHlc } : {}) };
}

/**
 * Throws `Conflict`, naming what was expected and what is there, unless `current` (the
 * version record `id`'s write builds on) meets `condition`.
 */
export function checkCondition(
  id: string,
  current: CurrentVersion | undefined,
  condition: WriteCondition,
): void {
  const live = current?.location === 'records';
  // The header's HLC (record-codec.ts): the stamp of the last change, a delete's included.
  const hlc = current === undefined ? undefined : versionHlc(current);
  if (condition.ifAbsent === true && live) {
    throw conflict(`key "${id}": expected no live record (ifAbsent), found one at hlc ${hlc}`);
  }
  const expected = condition.ifHlc;
  if (expected !== undefined && expected !== hlc) {
    const found =
      hlc === undefined ? 'no record' : `${live ? 'hlc' : 'a deleted record at hlc'} ${hlc}`;
    throw conflict(`key "${id}": expected hlc ${expected} (ifHlc), found ${found}`);
  }
}

function versionHlc(current: CurrentVersion): bigint {
  const bytes = current.bytes;
  if (bytes.length < 16) return 0n;
  return (BigInt(bytes.readUInt32LE(12)) << 32n) | BigInt(bytes.readUInt32LE(8));
}

function conflict(message: string): IpcError {
  return new IpcError(ErrorCode.Conflict, message);
}
