// The checkpoint of the sequence number and the clock (spec/crdt.md#durability), so both keep
// increasing across restarts without a metadata write per record. Sequence numbers are
// reserved in blocks: the checkpoint holds the end of the block, and a reopened store
// continues from there, above anything issued before.
import type { DataDir } from './data-dir.ts';
import type { HybridClock } from './hlc.ts';

const SEQ_BLOCK = 1 << 16;
// The clock checkpoint is refreshed at most this often (ms of HLC time).
const CLOCK_CHECKPOINT_MS = 1000;

/** The sequence ceiling and clock checkpoint of one store. */
export class ClockCheckpoint {
  readonly #data: DataDir;
  readonly #clock: HybridClock;
  #seqCeiling: number;
  #checkpointMs = 0;
  // What {@link mark} saved, for {@link rollback}.
  #markedCeiling = 0;
  #markedMs = 0;

  constructor(data: DataDir, clock: HybridClock, seqCeiling: number) {
    this.#data = data;
    this.#clock = clock;
    this.#seqCeiling = seqCeiling;
  }

  /**
   * Writes the checkpoint if `count` more sequence numbers after `seq` pass the ceiling, or the
   * clock moved on. Issued before the changes, so it lands in the same transaction as the
   * first of them.
   */
  write(seq: number, count: number): void {
    const needSeq = seq + count > this.#seqCeiling;
    const needClock = this.#clock.lastMs >= this.#checkpointMs + CLOCK_CHECKPOINT_MS;
    if (!needSeq && !needClock) return;
    if (needSeq) this.#seqCeiling = seq + count + SEQ_BLOCK;
    this.#checkpointMs = this.#clock.lastMs;
    const checkpoint = { seq: String(this.#seqCeiling), hlc: String(this.#clock.last) };
    // A failure here fails the whole transaction, and is reported through the record writes.
    this.#data.meta.put('clock', JSON.stringify(checkpoint)).catch(() => {});
  }

  /** Remembers the state before a transaction that may abort. */
  mark(): void {
    this.#markedCeiling = this.#seqCeiling;
    this.#markedMs = this.#checkpointMs;
  }

  /** The transaction aborted: nothing it wrote, the checkpoint included, is there. */
  rollback(): void {
    this.#seqCeiling = this.#markedCeiling;
    this.#checkpointMs = this.#markedMs;
  }

  /** The checkpoint to persist at close: the current sequence ceiling and clock. */
  final(): string {
    return JSON.stringify({ seq: String(this.#seqCeiling), hlc: String(this.#clock.last) });
  }
}

/** Reads a clock checkpoint written by {@link ClockCheckpoint}; zeros for a new store. */
export function parseCheckpoint(text: string | undefined): { seq: number; hlc: bigint } {
  if (text === undefined) return { seq: 0, hlc: 0n };
  const value = JSON.parse(text) as { seq?: unknown; hlc?: unknown };
  const seq = Number(value.seq);
  const hlc = typeof value.hlc === 'string' ? BigInt(value.hlc) : 0n;
  return { seq: Number.isSafeInteger(seq) && seq >= 0 ? seq : 0, hlc };
}
