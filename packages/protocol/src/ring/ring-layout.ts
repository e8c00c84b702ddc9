// Byte layout of one single-producer single-consumer ring (spec/transport.md#rings).
// Each control word sits on its own 64-byte cache line so the two processes never write the
// same line; all of them are read and written only through Atomics (shared BRIEF §2).

/** Byte offset of the producer's free-running write counter (u32, bytes published). */
export const writeIndexOffset = 0;
/** Byte offset of the consumer's free-running read counter (u32, bytes released). */
export const readIndexOffset = 64;
/** Byte offset of the word the consumer sets to 1 before it futex-waits for data. */
export const readerSleepingOffset = 128;
/** Byte offset of the word the producer sets to 1 before it futex-waits for space. */
export const writerSleepingOffset = 192;
/** Byte offset of the data area, after the control words. */
export const ringHeaderBytes = 256;

/** Size of a record header: u32 payload length, u32 record kind. */
export const recordHeaderBytes = 8;
/** Records start at multiples of this (so FlatBuffers read in place stay aligned). */
export const recordAlignment = 8;

/** Smallest data capacity a ring may have. */
export const minRingCapacity = 4096;
/** Largest data capacity a ring may have (free-running u32 counters need capacity ≤ 2^31). */
export const maxRingCapacity = 1 << 30;

/** What a record holds (the u32 after its length). */
export const RecordKind = {
  /** A whole frame. */
  Frame: 1,
  /** Filler up to the end of the data area; the next record starts at offset 0. */
  Padding: 2,
  /** The first piece of a frame too large for one record: a u64 total length, then bytes. */
  FragmentStart: 3,
  /** A following piece of that frame. */
  FragmentContinue: 4,
} as const;
/** One of {@link RecordKind}'s values. */
export type RecordKind = (typeof RecordKind)[keyof typeof RecordKind];

/** Total bytes of a ring region (control words plus data) for a data capacity. */
export function ringRegionBytes(capacity: number): number {
  return ringHeaderBytes + capacity;
}

/** True when `capacity` is a power of two within the allowed range. */
export function isValidRingCapacity(capacity: number): boolean {
  return (
    Number.isInteger(capacity) &&
    capacity >= minRingCapacity &&
    capacity <= maxRingCapacity &&
    (capacity & (capacity - 1)) === 0
  );
}

/** Bytes a record with `payload` bytes occupies, header and alignment padding included. */
export function recordBytes(payload: number): number {
  return recordHeaderBytes + ((payload + recordAlignment - 1) & ~(recordAlignment - 1));
}
