// Where everything is inside a stored record (spec/crdt.md#storage-format), found without
// decoding anything: the fast write path reads the previous version through this.
import {
  corrupt,
  DATA_OFFSET,
  HAS_VALUE,
  NO_ACTOR,
  OWN_STAMP,
  RECORD_ENCODING,
  readVarint,
} from './record-codec.ts';
import { u16At, u32At } from './spans.ts';

const EMPTY = new Uint8Array(0);

/** Offsets into one stored record, in typed arrays reused from record to record (-1 = none). */
export class RecordLayout {
  /** The record's bytes (empty for "no previous version"). */
  bytes: Uint8Array = EMPTY;
  /** Number of actors, clock entries and registers. */
  actors = 0;
  clock = 0;
  fields = 0;
  /** Actor index of the last change, and of the delete ({@link NO_ACTOR} if never deleted). */
  lastActor = 0;
  deleteActor = NO_ACTOR;
  /** Per actor: its UTF-8 bytes. */
  actorStart = new Int32Array(16);
  actorEnd = new Int32Array(16);
  /** Per clock entry: its actor index and the offset of its u64 counter. */
  clockActor = new Int32Array(16);
  clockAt = new Int32Array(16);
  /** Per register: name bytes, offset of its own u64 HLC (-1: the last change's), actor
   * index, and value bytes (-1: tombstone). */
  nameStart = new Int32Array(64);
  nameEnd = new Int32Array(64);
  stampAt = new Int32Array(64);
  fieldActor = new Int32Array(64);
  valueStart = new Int32Array(64);
  valueEnd = new Int32Array(64);
  readonly #cursor = { p: 0 };

  /** Forgets the record (and the reference to its bytes). */
  clear(): void {
    this.bytes = EMPTY;
    this.actors = 0;
    this.clock = 0;
    this.fields = 0;
    this.deleteActor = NO_ACTOR;
  }

  /** Locates every part of `bytes`; throws `StoreCorrupt` if anything is out of bounds. */
  parse(bytes: Uint8Array): void {
    this.clear();
    const length = bytes.length;
    if (length < DATA_OFFSET || bytes[0] !== RECORD_ENCODING) throw corrupt('bad header');
    const actors = u16At(bytes, 2);
    const dataEnd = DATA_OFFSET + u32At(bytes, 4);
    const clock = u16At(bytes, 28);
    const fields = u16At(bytes, 30);
    if (dataEnd > length) throw corrupt('data runs past the end');
    this.#reserve(actors, clock, fields);
    const { actorStart, actorEnd, clockActor, clockAt } = this;
    let p = dataEnd;
    for (let k = 0; k < actors; k++) {
      if (p + 2 > length) throw corrupt('actor table runs past the end');
      actorStart[k] = p + 2;
      p += 2 + u16At(bytes, p);
      actorEnd[k] = p;
    }
    if (p + 10 * clock > length) throw corrupt('clock runs past the end');
    for (let k = 0; k < clock; k++) {
      clockActor[k] = actorIndex(u16At(bytes, p), actors);
      clockAt[k] = p + 2;
      p += 10;
    }
    const lastActor = actorIndex(u16At(bytes, 24), actors);
    const deleted = u32At(bytes, 16) !== 0 || u32At(bytes, 20) !== 0;
    this.deleteActor = deleted ? actorIndex(u16At(bytes, 26), actors) : NO_ACTOR;
    const { nameStart, nameEnd, stampAt, fieldActor, valueStart, valueEnd } = this;
    const cursor = this.#cursor;
    cursor.p = p;
    for (let k = 0; k < fields; k++) {
      if (cursor.p >= length) throw corrupt('field runs past the end');
      const flags = bytes[cursor.p++] as number;
      const size = readVarint(bytes, cursor, length);
      if (cursor.p + size > length) throw corrupt('field name runs past the end');
      nameStart[k] = cursor.p;
      cursor.p += size;
      nameEnd[k] = cursor.p;
      if ((flags & OWN_STAMP) !== 0) {
        if (cursor.p + 10 > length) throw corrupt('field stamp runs past the end');
        stampAt[k] = cursor.p;
        fieldActor[k] = actorIndex(u16At(bytes, cursor.p + 8), actors);
        cursor.p += 10;
      } else {
        stampAt[k] = -1;
        fieldActor[k] = lastActor;
      }
      if ((flags & HAS_VALUE) !== 0) {
        const offset = DATA_OFFSET + readVarint(bytes, cursor, length);
        const end = offset + readVarint(bytes, cursor, length);
        if (end > dataEnd) throw corrupt('value span out of range');
        valueStart[k] = offset;
        valueEnd[k] = end;
      } else {
        valueStart[k] = -1;
        valueEnd[k] = -1;
      }
    }
    this.bytes = bytes;
    this.actors = actors;
    this.clock = clock;
    this.fields = fields;
    this.lastActor = lastActor;
  }

  #reserve(actors: number, clock: number, fields: number): void {
    if (actors > this.actorStart.length) {
      this.actorStart = grown(this.actorStart, actors);
      this.actorEnd = grown(this.actorEnd, actors);
    }
    if (clock > this.clockActor.length) {
      this.clockActor = grown(this.clockActor, clock);
      this.clockAt = grown(this.clockAt, clock);
    }
    if (fields > this.nameStart.length) {
      this.nameStart = grown(this.nameStart, fields);
      this.nameEnd = grown(this.nameEnd, fields);
      this.stampAt = grown(this.stampAt, fields);
      this.fieldActor = grown(this.fieldActor, fields);
      this.valueStart = grown(this.valueStart, fields);
      this.valueEnd = grown(this.valueEnd, fields);
    }
  }
}

function actorIndex(index: number, actors: number): number {
  if (index >= actors) throw corrupt('actor index out of range');
  return index;
}

/** `array`, or a copy at least `needed` long (doubling, so growth stays amortised). */
export function grown(array: Int32Array, needed: number): Int32Array<ArrayBuffer> {
  if (needed <= array.length) return array as Int32Array<ArrayBuffer>;
  const bigger = new Int32Array(Math.max(needed, array.length * 2));
  bigger.set(array);
  return bigger;
}
