// Hybrid logical clock (spec/crdt.md#hlc): one unsigned 64-bit value, the upper 48 bits
// milliseconds since the Unix epoch, the lower 16 bits a logical counter. Comparing two
// timestamps as integers orders them by time first, then by counter.
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';

/** Bits of an HLC timestamp holding the logical counter. */
export const HLC_COUNTER_BITS = 16;
/** Largest logical counter. */
export const MAX_HLC_COUNTER = 0xffff;
/** Largest millisecond value (2^48 - 1, in the year 10889). */
export const MAX_HLC_MS = 2 ** 48 - 1;

/** Packs milliseconds and a counter into one HLC timestamp. */
export function packHlc(ms: number, counter: number): bigint {
  return (BigInt(ms) << 16n) | BigInt(counter);
}

/** The milliseconds part of an HLC timestamp. */
export function hlcMs(hlc: bigint): number {
  return Number(hlc >> 16n);
}

/** The counter part of an HLC timestamp. */
export function hlcCounter(hlc: bigint): number {
  return Number(hlc & 0xffffn);
}

/** True when `value` is a bigint that fits an unsigned 64-bit field. */
export function isU64(value: unknown): value is bigint {
  return typeof value === 'bigint' && value >= 0n && value <= 0xffff_ffff_ffff_ffffn;
}

/**
 * A replica's clock. `now()` returns a timestamp greater than every timestamp it returned or
 * observed before, even when the wall clock stalls or steps backwards; `observe()` takes in a
 * timestamp seen from elsewhere (another replica, a stored record) so that later local writes
 * are ordered after it.
 */
export class HybridClock {
  #ms: number;
  #counter: number;
  readonly #wallClock: () => number;

  /** `start` is a timestamp the clock must stay above (e.g. the last one persisted). */
  constructor(wallClock: () => number = Date.now, start = 0n) {
    this.#wallClock = wallClock;
    this.#ms = hlcMs(start);
    this.#counter = hlcCounter(start);
  }

  /** The latest timestamp issued or observed. */
  get last(): bigint {
    return packHlc(this.#ms, this.#counter);
  }

  /** Milliseconds part of {@link last}, without building a bigint. */
  get lastMs(): number {
    return this.#ms;
  }

  /** Issues a timestamp for a local event, strictly greater than every earlier one. */
  now(): bigint {
    const wall = Math.floor(this.#wallClock());
    if (wall > this.#ms) {
      this.#ms = Math.min(wall, MAX_HLC_MS);
      this.#counter = 0;
    } else if (this.#counter < MAX_HLC_COUNTER) {
      // Wall clock stalled or went backwards: keep the old time, count events within it.
      this.#counter++;
    } else {
      // 65,536 events in one millisecond: borrow the next millisecond. The clock runs ahead
      // of wall time until the wall clock catches up.
      if (this.#ms >= MAX_HLC_MS) {
        throw new IpcError(ErrorCode.Internal, 'hybrid logical clock exhausted (year 10889)');
      }
      this.#ms++;
      this.#counter = 0;
    }
    return packHlc(this.#ms, this.#counter);
  }

  /** {@link observe} for a timestamp given as its low and high 32-bit halves (no bigint). */
  observeParts(low: number, high: number): void {
    const ms = high * 0x1_0000 + (low >>> 16);
    if (ms < this.#ms) return;
    const counter = low & 0xffff;
    if (ms > this.#ms || counter > this.#counter) {
      this.#ms = ms;
      this.#counter = counter;
    }
  }

  /** Raises the clock to at least `hlc`, so the next `now()` is greater than it. */
  observe(hlc: bigint): void {
    const ms = hlcMs(hlc);
    if (ms < this.#ms) return;
    const counter = hlcCounter(hlc);
    if (ms > this.#ms || counter > this.#counter) {
      this.#ms = ms;
      this.#counter = counter;
    }
  }

  /** Milliseconds of the wall clock this HLC reads. */
  wallMs(): number {
    return this.#wallClock();
  }
}
