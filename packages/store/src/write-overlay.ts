// The record versions issued but not yet committed: a write that follows another write to the
// same key (before the first commits) builds on it instead of on stale data
// (spec/crdt.md#durability). Each version is pinned by the writes that issued it, and dropped
// when the last of them is acknowledged or failed.
import type { Buffer } from 'node:buffer';
import { asBuffer } from './as-buffer.ts';
import type { Change, CurrentVersion } from './change.ts';
import type { DataDir } from './data-dir.ts';

interface Pinned {
  bytes: Buffer;
  live: boolean;
  refs: number;
}

/** Issued versions over the committed ones. */
export class WriteOverlay {
  readonly #data: DataDir;
  readonly #pinned = new Map<string, Pinned>();

  constructor(data: DataDir) {
    this.#data = data;
  }

  /** The version of `id` writes must build on: the newest issued one, else the committed one. */
  read(id: string): CurrentVersion | undefined {
    const pinned = this.#pinned.get(id);
    if (pinned !== undefined) {
      return {
        bytes: pinned.bytes,
        location: pinned.live ? 'records' : 'tombstones',
        volatile: false,
      };
    }
    // lmdb-js's reused buffer: its `length` is set to the value's size, but its `byteLength`
    // (what Buffer#equals and friends use) spans the whole shared buffer. Consumers go by
    // `length` only.
    const live = asBuffer(this.#data.records.getBinaryFast(id));
    if (live !== undefined) return { bytes: live, location: 'records', volatile: true };
    const dead = asBuffer(this.#data.tombstones.getBinaryFast(id));
    if (dead !== undefined) return { bytes: dead, location: 'tombstones', volatile: true };
    return undefined;
  }

  /** Makes `change` the newest issued version of its key. */
  pin(change: Change): void {
    const { id, bytes, live } = change;
    const pinned = this.#pinned.get(id);
    if (pinned === undefined) this.#pinned.set(id, { bytes, live, refs: 1 });
    else {
      pinned.bytes = bytes;
      pinned.live = live;
      pinned.refs++;
    }
  }

  /** A write of `id` was acknowledged or failed. */
  unpin(id: string): void {
    const pinned = this.#pinned.get(id);
    if (pinned !== undefined && --pinned.refs === 0) this.#pinned.delete(id);
  }
}
