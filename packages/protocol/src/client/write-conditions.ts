// The conditions of a client's put, patch, delete and batch writes
// (spec/crdt.md#conditional-writes), checked before anything is sent and turned into the
// wire's `if_absent` / `if_hlc` fields (protocol version 2).
import { ErrorCode, IpcError } from '../errors.ts';
import type { CallOptions } from './client-options.ts';

/** Conditions a write may carry; both must hold when both are given. */
export interface WriteCondition {
  /** Write only when the record is not live (never written, or deleted); else `Conflict`. */
  readonly ifAbsent?: boolean;
  /** Write only when the record's current HLC (`getRecord().hlc`) is this; `0n`: none. */
  readonly ifHlc?: bigint;
}

/** Options of a single write: its conditions and the call's options. */
export interface WriteOptions extends CallOptions, WriteCondition {}

const MAX_U64 = (1n << 64n) - 1n;

/** The wire fields of `condition`, checked; empty when it sets none. */
export function conditionFields(condition: WriteCondition | undefined): {
  ifAbsent?: boolean;
  ifHlc?: bigint;
} {
  if (condition === undefined) return {};
  const { ifAbsent, ifHlc } = condition;
  if (ifAbsent !== undefined && typeof ifAbsent !== 'boolean') {
    throw new IpcError(ErrorCode.InvalidArgument, 'ifAbsent must be a boolean');
  }
  if (ifHlc !== undefined && (typeof ifHlc !== 'bigint' || ifHlc < 0n || ifHlc > MAX_U64)) {
    throw new IpcError(ErrorCode.InvalidArgument, 'ifHlc must be a bigint from 0 to 2^64 - 1');
  }
  return {
    ...(ifAbsent === true ? { ifAbsent } : {}),
    ...(ifHlc !== undefined && ifHlc !== 0n ? { ifHlc } : {}),
  };
}
