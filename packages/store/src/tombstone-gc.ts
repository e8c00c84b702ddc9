// Tombstone garbage collection (spec/crdt.md#tombstone-gc): a deleted record whose last change
// is older than the horizon is removed for good, so deleted data and its space go away. The
// sweep walks the tombstones a chunk at a time from where it stopped, off the request path (a
// timer), and only while no write is in flight: an issued write may build on a tombstone
// (write-overlay.ts), and with none in flight there is no such write.
import type { DataDir } from './data-dir.ts';
import { hlcMs } from './hlc.ts';
import { keySuccessor } from './keys.ts';
import { storeError } from './store-errors.ts';

/** Default horizon: tombstones whose last change is older than 30 days are purged. */
export const DEFAULT_TOMBSTONE_HORIZON_MS = 30 * 24 * 60 * 60 * 1000;
/** Default pause between two sweep steps, in ms. */
export const DEFAULT_TOMBSTONE_SWEEP_MS = 1000;
/** Tombstones one sweep step looks at, at most (its work is bounded by this). */
export const TOMBSTONE_SWEEP_CHUNK = 1000;

// The HLC of a stored record's last change sits at byte 8 (record-codec.ts's header).
const HLC_OFFSET = 8;

/** What the collector needs besides the data directory. */
export interface CollectorParts {
  readonly data: DataDir;
  /** Wall clock in ms since the epoch. */
  readonly wallMs: () => number;
  /** Tombstones whose last change is older than this many ms are purged. */
  readonly horizonMs: number;
  /** True while writes are in flight (then a step does nothing). */
  readonly busy: () => boolean;
}

/** Purges old tombstones, a bounded chunk per step. */
export class TombstoneCollector {
  readonly #parts: CollectorParts;
  // Where the next step starts; '' = from the first tombstone.
  #cursor = '';
  #purged = 0;

  constructor(parts: CollectorParts) {
    this.#parts = parts;
  }

  /** Tombstones purged since the store opened. */
  get purged(): number {
    return this.#purged;
  }

  /**
   * Looks at up to `chunk` tombstones from where the last step stopped (wrapping around at the
   * end) and removes those older than the horizon, in one transaction. Returns how many it
   * removed; 0 without looking while writes are in flight. Throws a store error when the
   * transaction fails (nothing of it was written).
   */
  step(chunk = TOMBSTONE_SWEEP_CHUNK): number {
    const { data, wallMs, horizonMs, busy } = this.#parts;
    if (busy()) return 0;
    const cutoff = wallMs() - horizonMs;
    const old: string[] = [];
    let seen = 0;
    let last: string | undefined;
    for (const key of data.tombstones.getKeys({ start: this.#cursor, snapshot: true })) {
      if (seen === chunk) break;
      seen++;
      last = key;
      if (isOlder(data.tombstones.getBinaryFast(key), cutoff)) old.push(key);
    }
    // A short chunk reached the end: the next step starts over.
    this.#cursor = seen === chunk && last !== undefined ? keySuccessor(last) : '';
    if (old.length === 0) return 0;
    let removed = 0;
    try {
      data.env.transactionSync(() => {
        for (const key of old) {
          // Looked at again inside the transaction: only the tombstone seen, still as old.
          if (
            isOlder(data.tombstones.getBinaryFast(key), cutoff) &&
            data.tombstones.removeSync(key)
          )
            removed++;
        }
      });
    } catch (error) {
      throw storeError(error, data.path, 'purging tombstones in');
    }
    this.#purged += removed;
    return removed;
  }
}

function isOlder(stored: Uint8Array | undefined, cutoff: number): boolean {
  if (stored === undefined || stored.length < HLC_OFFSET + 8) return false;
  const view = new DataView(stored.buffer, stored.byteOffset, stored.length);
  return hlcMs(view.getBigUint64(HLC_OFFSET, true)) < cutoff;
}
