// The stored form of one change log entry (spec/crdt.md#subscriptions): what an event needs,
// so a resumed subscription is served from the log alone, never from the record's current
// version (which may have changed since).
//
//   0  u8   entry encoding (1)          8  u64 HLC of the change
//   1  u8   flags (bit 0: live)        16  f64 wall-clock ms when it was logged (age pruning)
//   2  u16  key length (UTF-8 bytes)   24  key (UTF-8), actor (UTF-8), then the record's
//   4  u16  actor length                    stored bytes (record-codec.ts) to the end
//   6  u16  reserved (0)
import { Buffer } from 'node:buffer';
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import type { CommittedChange } from './change-feed.ts';

/** Value of byte 0: the layout above. */
const ENTRY_ENCODING = 1;
const HEADER = 24;
const LIVE = 1;

/** Encodes `change` as logged at wall-clock `ms`. One allocation, one copy of the record. */
export function encodeEntry(change: CommittedChange, ms: number): Buffer {
  const keyLength = Buffer.byteLength(change.id);
  const actorLength = Buffer.byteLength(change.actor);
  const out = Buffer.allocUnsafe(HEADER + keyLength + actorLength + change.bytes.length);
  out[0] = ENTRY_ENCODING;
  out[1] = change.live ? LIVE : 0;
  out.writeUInt16LE(keyLength, 2);
  out.writeUInt16LE(actorLength, 4);
  out.writeUInt16LE(0, 6);
  out.writeBigUInt64LE(change.hlc, 8);
  out.writeDoubleLE(ms, 16);
  out.write(change.id, HEADER, keyLength, 'utf8');
  out.write(change.actor, HEADER + keyLength, actorLength, 'utf8');
  change.bytes.copy(out, HEADER + keyLength + actorLength);
  return out;
}

/** The key of an entry, read without decoding the rest (prefix filtering). */
export function entryKey(entry: Buffer): string {
  checkHeader(entry);
  return entry.toString('utf8', HEADER, HEADER + entry.readUInt16LE(2));
}

/** When an entry was logged (wall-clock ms). */
export function entryLoggedMs(entry: Buffer): number {
  checkHeader(entry);
  return entry.readDoubleLE(16);
}

/** Decodes an entry into the change it logged (the record bytes are a view of `entry`). */
export function decodeEntry(entry: Buffer): CommittedChange {
  checkHeader(entry);
  const keyLength = entry.readUInt16LE(2);
  const actorLength = entry.readUInt16LE(4);
  const actorAt = HEADER + keyLength;
  return {
    id: entry.toString('utf8', HEADER, actorAt),
    actor: entry.toString('utf8', actorAt, actorAt + actorLength),
    live: ((entry[1] as number) & LIVE) !== 0,
    hlc: entry.readBigUInt64LE(8),
    bytes: entry.subarray(actorAt + actorLength),
  };
}

function checkHeader(entry: Buffer): void {
  if (
    entry.length < HEADER ||
    entry[0] !== ENTRY_ENCODING ||
    HEADER + entry.readUInt16LE(2) + entry.readUInt16LE(4) > entry.length
  ) {
    throw new IpcError(ErrorCode.StoreCorrupt, 'a change log entry is unreadable');
  }
}
