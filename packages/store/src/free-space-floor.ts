// Keeps every commit away from a full disk (spec/crdt.md#durability). lmdb-js 3.5.6 damages
// the process's heap when LMDB's write of a commit's pages fails outright (`pwrite` returns -1,
// ENOSPC): it formats "Attempting to write page at position ..., buffer sizes A B C" into a
// 100-byte allocation, and with B and C left over from earlier calls (uninitialised in a write
// of one or two pages) the text runs to 104-109 characters. The byte past the end lands in the
// next heap chunk's header, and glibc aborts the process later ("munmap_chunk(): invalid
// pointer", "malloc(): invalid next size"), when that chunk is freed: seconds or minutes later,
// or at exit. Reopening the environment cannot undo it, so the store does not let LMDB reach a
// full disk: a write is refused, untried, when the file system would have less than a floor of
// free space after it. Deletes may go further down, to a smaller floor: freeing room is what a
// user tries first, and on a truly full disk LMDB cannot always commit one (it may need a new
// page; measured in spec/crdt.md#durability).
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import { freeBytesAt } from './store-errors.ts';

/** Free bytes a write that adds data must leave on the data directory's file system. */
export const KEEP_FREE_BYTES = 1024 * 1024;
/** Free bytes a write that only deletes must leave (it may use the rest of the floor). */
export const DELETE_KEEP_FREE_BYTES = 256 * 1024;
/**
 * Pages one change may add to the data file beyond its value bytes: the copied leaf and branch
 * pages of its tree path, a split, its key (up to 1 KiB). Measured here at most 3 for a single
 * put into a store of 25,000 records, 36 for 32 puts committed together.
 */
export const PAGES_PER_CHANGE = 8;

// How long a measurement of the free space is trusted (other processes write to the disk
// too): 1 s with over 1 GiB above the floor, 100 ms with over 64 MiB, else not at all (a
// statfs call per write, only on a nearly full disk).
const TRUST_MS_AMPLE = 1000;
const TRUST_MS_ROOMY = 100;
const AMPLE_BYTES = 1024 * 1024 * 1024;
const ROOMY_BYTES = 64 * 1024 * 1024;

/** The free-space floor of one data directory's writes. */
export class FreeSpaceFloor {
  readonly #path: string;
  readonly #freeBytes: (path: string) => number | undefined;
  readonly #now: () => number;
  // Bytes writes may still add above KEEP_FREE_BYTES, by the last measurement less the
  // estimates admitted since; trusted until #trustedUntil (ms).
  #budget = 0;
  #trustedUntil = Number.NEGATIVE_INFINITY;

  /**
   * @param freeBytes reads the free space under `path`; `now` is the clock in ms (both
   * injectable for tests).
   */
  constructor(
    path: string,
    freeBytes: (path: string) => number | undefined = freeBytesAt,
    now: () => number = Date.now,
  ) {
    this.#path = path;
    this.#freeBytes = freeBytes;
    this.#now = now;
  }

  /**
   * Before a write that may add up to `bytes` to the data file: the error to refuse it with,
   * untried, or undefined when it may go ahead (then its bytes are counted). `pending` is
   * what admitted writes not yet committed may still add (the free space does not show them
   * yet). A statfs call only when the last one is too old or its room is used up.
   */
  admit(bytes: number, deleting: boolean, pending: number): IpcError | undefined {
    const now = this.#now();
    if (bytes <= this.#budget && now < this.#trustedUntil) {
      this.#budget -= bytes;
      return undefined;
    }
    const free = this.#freeBytes(this.#path);
    if (free === undefined) {
      // Nothing to go by (statfs unsupported): LMDB's own errors remain.
      this.#budget = Number.POSITIVE_INFINITY;
      this.#trustedUntil = now + TRUST_MS_AMPLE;
      return undefined;
    }
    const room = free - pending - KEEP_FREE_BYTES;
    this.#budget = room;
    this.#trustedUntil =
      now + (room > AMPLE_BYTES ? TRUST_MS_AMPLE : room > ROOMY_BYTES ? TRUST_MS_ROOMY : 0);
    const floor = deleting ? DELETE_KEEP_FREE_BYTES : KEEP_FREE_BYTES;
    if (free - pending - bytes < floor) {
      return new IpcError(
        ErrorCode.Internal,
        `committing to ${this.#path}: disk full (${free} bytes free; the store keeps ${floor} free); not tried until space is freed`,
      );
    }
    this.#budget -= bytes;
    return undefined;
  }
}

/** Upper bound of what writing `changes` may add to a data file of `pageSize`-byte pages. */
export function growthBound(
  changes: readonly { readonly bytes: Uint8Array }[],
  pageSize: number,
): number {
  let bytes = 0;
  // Each change is written twice: the record, and its change log entry (the record's bytes
  // again, its key and a header: change-log-entry.ts) with the log tree's path.
  for (const change of changes)
    bytes += 2 * change.bytes.length + LOG_ENTRY_OVERHEAD + PAGES_PER_CHANGE * pageSize;
  return bytes;
}

/** Bytes of a change log entry besides the record's bytes: header, key (at most 1 KiB), actor. */
export const LOG_ENTRY_OVERHEAD = 24 + 1024 + 255;

/** True when every change deletes (a floor admits those near a full disk: see `admit`). */
export function onlyDeletes(changes: readonly { readonly live: boolean }[]): boolean {
  for (const change of changes) if (change.live) return false;
  return true;
}
