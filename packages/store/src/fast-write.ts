// put and patch straight from the previous version's bytes to the new version's bytes
// (spec/crdt.md#local-writes). This is the store's hot path: it never builds a RecordState,
// never turns a name or value into a string, and copies unchanged registers byte for byte.
// Its output is byte-identical to encodeRecord(applyPut/applyPatch(decodeRecord(prev), ...)),
// which test/fast-write.test.ts checks on random records.
import type { Buffer } from 'node:buffer';
import { copy, u16, u32, varint } from './byte-ops.ts';
import { ByteWriter } from './byte-writer.ts';
import { MAX_FIELDS } from './limits.ts';
import type { Members } from './members.ts';
import { DATA_OFFSET, HAS_VALUE, NO_ACTOR, OWN_STAMP, RECORD_ENCODING } from './record-codec.ts';
import { grown, RecordLayout } from './record-layout.ts';
import { compareSpans, u32At } from './spans.ts';
import { tooLarge } from './store-errors.ts';
import { readUtf8, writeUtf8 } from './text.ts';

/** The replica's own actor id, as text and as UTF-8 bytes. */
export interface LocalActor {
  readonly id: string;
  readonly bytes: Uint8Array;
}

const writer = new ByteWriter();
const EMPTY = new Uint8Array(0);
const previous = new RecordLayout();

// The new version's actor table (each actor a span of the previous version or of the local
// actor's bytes), and where each previous actor landed in it (-1: not yet).
let outActors = 0;
const outSource: Uint8Array[] = [];
let outStart = new Int32Array(16);
let outEnd = new Int32Array(16);
let remap = new Int32Array(16);

// The new version's registers: which input each comes from, and its value's offset in the
// data JSON (-1: tombstone).
const FROM_MEMBER = 0;
const TOMBSTONED = 1;
const KEPT = 2;
let outKind = new Int32Array(64);
let outIndex = new Int32Array(64);
let outOffset = new Int32Array(64);

/**
 * The stored bytes of record version `prev` (or a new record) after a local `put` or `patch`
 * of `members`, stamped (`hlc`, `actor`). `hlc` must exceed every stamp in `prev`. Throws
 * `TooLarge` over the limits, `StoreCorrupt` if `prev` is damaged.
 */
export function encodeLocalWrite(
  prev: Uint8Array | undefined,
  members: Members,
  mode: 'put' | 'patch',
  hlc: bigint,
  actor: LocalActor,
  maxValueBytes: number,
): Buffer {
  if (prev === undefined) previous.clear();
  else previous.parse(prev);
  try {
    return encode(members, mode, hlc, actor, maxValueBytes);
  } finally {
    previous.clear();
    for (let k = 0; k < outActors; k++) outSource[k] = EMPTY; // keep no caller buffer alive
  }
}

function encode(
  members: Members,
  mode: 'put' | 'patch',
  hlc: bigint,
  actor: LocalActor,
  maxValueBytes: number,
): Buffer {
  const prev = previous.bytes;
  const { nameStart, nameEnd, stampAt, fieldActor, valueStart, valueEnd } = previous;
  const prevFields = previous.fields;
  const source = members.source;
  const count = members.count;
  const mNameStart = members.nameStart;
  const mNameEnd = members.nameEnd;
  const mValueStart = members.valueStart;
  const mValueEnd = members.valueEnd;
  reserve(prevFields + count, previous.actors + 1);
  // One capacity check up front, then unchecked writes through locals (the fast way in V8).
  // Names may grow up to 6x when escaped; everything else is copied or fixed-size.
  let inputBytes = 0;
  for (let k = 0; k < count; k++) {
    inputBytes +=
      7 * ((mNameEnd[k] as number) - (mNameStart[k] as number)) +
      (mValueEnd[k] as number) -
      (mValueStart[k] as number);
  }
  writer.reset();
  const b = writer.ensure(256 + 7 * prev.length + inputBytes + 40 * count + actor.bytes.length);
  let p = DATA_OFFSET;

  // Registers in name order; the live ones go into the data JSON as they are met.
  let outCount = 0;
  let i = 0;
  let j = 0;
  b[p++] = 0x7b; // {
  while (i < prevFields || j < count) {
    const order =
      i >= prevFields
        ? 1
        : j >= count
          ? -1
          : compareSpans(
              prev,
              nameStart[i] as number,
              nameEnd[i] as number,
              source,
              mNameStart[j] as number,
              mNameEnd[j] as number,
            );
    let kind: number;
    let index: number;
    let start: number;
    let end: number;
    if (order < 0) {
      kind = mode === 'put' ? TOMBSTONED : KEPT;
      index = i++;
      start = valueStart[index] as number;
      end = valueEnd[index] as number;
    } else {
      kind = FROM_MEMBER;
      index = j++;
      if (order === 0) i++;
      start = mValueStart[index] as number;
      end = mValueEnd[index] as number;
    }
    outKind[outCount] = kind;
    outIndex[outCount] = index;
    if (kind === TOMBSTONED || start < 0) {
      outOffset[outCount++] = -1;
      continue;
    }
    if (p > DATA_OFFSET + 1) b[p++] = 0x2c; // ,
    p =
      kind === FROM_MEMBER
        ? quotedName(
            b,
            p,
            source,
            mNameStart[index] as number,
            mNameEnd[index] as number,
            members.namesNeedEscaping,
          )
        : quotedName(b, p, prev, nameStart[index] as number, nameEnd[index] as number, true);
    b[p++] = 0x3a; // :
    outOffset[outCount++] = p - DATA_OFFSET;
    p = copy(b, p, kind === FROM_MEMBER ? source : prev, start, end);
  }
  b[p++] = 0x7d; // }
  const dataLength = p - DATA_OFFSET;
  if (dataLength > maxValueBytes) {
    throw tooLarge(`record data is ${dataLength} bytes of JSON, the limit is ${maxValueBytes}`);
  }
  if (outCount > MAX_FIELDS) {
    throw tooLarge(
      `a record may hold ${MAX_FIELDS} fields (tombstones included), this one ${outCount}`,
    );
  }

  // Actor table, canonical order: the writer (last change), the delete's actor, the clock's
  // actors, then the actors of registers with their own stamp.
  outActors = 0;
  addActor(actor.bytes, 0, actor.bytes.length);
  for (let k = 0; k < previous.actors; k++) remap[k] = -1;
  const deleteActor = previous.deleteActor === NO_ACTOR ? NO_ACTOR : mapActor(previous.deleteActor);
  const { clockActor, clockAt, actorStart, actorEnd } = previous;
  const prevClock = previous.clock;
  // The clock with the writer's entry bumped, or inserted at its place in actor order.
  let selfAt = prevClock;
  let selfCounted = false;
  for (let k = 0; k < prevClock; k++) {
    const a = clockActor[k] as number;
    const order = compareSpans(
      prev,
      actorStart[a] as number,
      actorEnd[a] as number,
      actor.bytes,
      0,
      actor.bytes.length,
    );
    if (order >= 0) {
      selfAt = k;
      selfCounted = order === 0;
      break;
    }
  }
  for (let k = 0; k < prevClock; k++) mapActor(clockActor[k] as number);
  for (let k = 0; k < outCount; k++) {
    if (outKind[k] === KEPT) mapActor(fieldActor[outIndex[k] as number] as number);
  }
  if (outActors > NO_ACTOR) throw tooLarge(`a record may reference ${NO_ACTOR} actors`);
  for (let k = 0; k < outActors; k++) {
    const start = outStart[k] as number;
    const end = outEnd[k] as number;
    p = u16(b, p, end - start);
    p = copy(b, p, outSource[k] as Uint8Array, start, end);
  }

  // Clock entries.
  const clockCount = prevClock + (selfCounted ? 0 : 1);
  for (let k = 0; k <= prevClock; k++) {
    if (k === selfAt) {
      p = u16(b, p, 0);
      let low = 1;
      let high = 0;
      if (selfCounted) {
        const at = clockAt[k] as number;
        low = u32At(prev, at) + 1;
        high = u32At(prev, at + 4);
        if (low > 0xffff_ffff) {
          low = 0;
          high++;
        }
      }
      p = u32(b, p, low);
      p = u32(b, p, high);
      if (selfCounted) continue;
    }
    if (k === prevClock) break;
    p = u16(b, p, remap[clockActor[k] as number] as number);
    p = copy(b, p, prev, clockAt[k] as number, (clockAt[k] as number) + 8);
  }

  // Registers: the ones this write stamps use the last-change stamp (no stamp of their own);
  // kept ones carry theirs, since the last change is now this write.
  for (let k = 0; k < outCount; k++) {
    const index = outIndex[k] as number;
    const kind = outKind[k];
    const offset = outOffset[k] as number;
    b[p++] = (offset >= 0 ? HAS_VALUE : 0) | (kind === KEPT ? OWN_STAMP : 0);
    const member = kind === FROM_MEMBER;
    const start = member ? (mNameStart[index] as number) : (nameStart[index] as number);
    const end = member ? (mNameEnd[index] as number) : (nameEnd[index] as number);
    p = varint(b, p, end - start);
    p = copy(b, p, member ? source : prev, start, end);
    if (kind === KEPT) {
      // A register the previous last change stamped shares that stamp, in the header.
      const at = stampAt[index] as number;
      p = at < 0 ? copy(b, p, prev, 8, 16) : copy(b, p, prev, at, at + 8);
      p = u16(b, p, remap[fieldActor[index] as number] as number);
    }
    if (offset >= 0) {
      p = varint(b, p, offset);
      const size = member
        ? (mValueEnd[index] as number) - (mValueStart[index] as number)
        : (valueEnd[index] as number) - (valueStart[index] as number);
      p = varint(b, p, size);
    }
  }

  // Header.
  b[0] = RECORD_ENCODING;
  b[1] = 0; // live: a put or patch always leaves the record live
  u16(b, 2, outActors);
  u32(b, 4, dataLength);
  u32(b, 8, Number(hlc & 0xffff_ffffn));
  u32(b, 12, Number(hlc >> 32n));
  if (deleteActor === NO_ACTOR) {
    u32(b, 16, 0);
    u32(b, 20, 0);
  } else {
    copy(b, 16, prev, 16, 24);
  }
  u16(b, 24, 0);
  u16(b, 26, deleteActor);
  u16(b, 28, clockCount);
  u16(b, 30, outCount);
  writer.position = p;
  return writer.finish();
}

function reserve(registers: number, actors: number): void {
  if (registers > outKind.length) {
    outKind = grown(outKind, registers);
    outIndex = grown(outIndex, registers);
    outOffset = grown(outOffset, registers);
  }
  if (actors > outStart.length) {
    outStart = grown(outStart, actors);
    outEnd = grown(outEnd, actors);
    remap = grown(remap, actors);
  }
}

// Index of previous actor `index` in the new table, adding it on first use.
function mapActor(index: number): number {
  let mapped = remap[index] as number;
  if (mapped < 0) {
    mapped = addActor(
      previous.bytes,
      previous.actorStart[index] as number,
      previous.actorEnd[index] as number,
    );
    remap[index] = mapped;
  }
  return mapped;
}

function addActor(source: Uint8Array, start: number, end: number): number {
  for (let k = 0; k < outActors; k++) {
    if (
      compareSpans(
        outSource[k] as Uint8Array,
        outStart[k] as number,
        outEnd[k] as number,
        source,
        start,
        end,
      ) === 0
    ) {
      return k;
    }
  }
  outSource[outActors] = source;
  outStart[outActors] = start;
  outEnd[outActors] = end;
  return outActors++;
}

// Writes a field name inside JSON quotes. Names taken from JSON text without escapes are
// safe as they are; others are escaped when they hold a quote, a backslash or a control byte.
function quotedName(
  b: Uint8Array,
  p: number,
  source: Uint8Array,
  start: number,
  end: number,
  check: boolean,
): number {
  if (check) {
    for (let k = start; k < end; k++) {
      const c = source[k] as number;
      if (c < 0x20 || c === 0x22 || c === 0x5c) {
        return writeUtf8(b, p, JSON.stringify(readUtf8(source, start, end)));
      }
    }
  }
  b[p] = 0x22;
  p = copy(b, p + 1, source, start, end);
  b[p] = 0x22;
  return p + 1;
}
