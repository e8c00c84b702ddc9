// Keeps synchronous commits away from a disk that is still full, after one failed anyway (the
// free-space floor, free-space-floor.ts, keeps the store's own writes from filling it; another
// program or a quota can still). lmdb-js (3.5.6) damages its native heap at failed commits, and
// the process aborts ("malloc(): invalid next size"; reproduced with lmdb-js alone after some
// ninety failed synchronous commits of 1 put and of 15 in turn, on a full 4 MiB tmpfs). A
// server whose clients keep writing reached that within a second. So after a commit fails on a
// nearly full disk, commits are refused without being tried until space is freed; then the
// next one is tried.
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import { freeBytesAt, NEARLY_FULL_BYTES } from './store-errors.ts';

/** Space that must be freed, beyond what was free at the failure, before a commit is tried. */
export const RETRY_AFTER_FREED_BYTES = 64 * 1024;

/** The disk-full state of one data directory's synchronous commits. */
export class DiskFullGuard {
  readonly #path: string;
  readonly #freeBytes: (path: string) => number | undefined;
  /** Free bytes when a commit last failed on a nearly full disk; undefined when not full. */
  #freeAtFailure: number | undefined;

  /** @param freeBytes reads the free space under `path` (injectable for tests). */
  constructor(path: string, freeBytes: (path: string) => number | undefined = freeBytesAt) {
    this.#path = path;
    this.#freeBytes = freeBytes;
  }

  /** A commit failed: if the disk is nearly full, the next ones wait for space to be freed. */
  failed(): void {
    const free = this.#freeBytes(this.#path);
    this.#freeAtFailure = free !== undefined && free < NEARLY_FULL_BYTES ? free : undefined;
  }

  /**
   * Before a commit: the error to fail it with, untried, while the disk is as full as at the
   * last failure; undefined when it may be tried (a statfs call only while full).
   */
  refusal(): IpcError | undefined {
    const before = this.#freeAtFailure;
    if (before === undefined) return undefined;
    const free = this.#freeBytes(this.#path);
    if (free === undefined || free >= before + RETRY_AFTER_FREED_BYTES) {
      this.#freeAtFailure = undefined;
      return undefined;
    }
    return new IpcError(
      ErrorCode.Internal,
      `committing to ${this.#path}: disk full (${free} bytes free); not tried until space is freed`,
    );
  }
}
