// Recognising a frame by its fixed words: the check that stands in for the verifier on a
// fixed-shape frame (frame-template.ts; spec/messages.md#what-verification-does-not-check-informative).

/** A field that varies between frames of one layout: where it starts and its size. */
export interface VaryingField {
  readonly at: number;
  readonly bytes: number;
}

/**
 * The first `fixed.length` words of a frame, compared with the fixed words a template learned.
 * Words that vary (ids, lengths, values) are masked out: `mask` holds 0 there and -1
 * elsewhere, and `fixed` holds 0 there.
 */
export interface FixedWords {
  readonly fixed: Int32Array;
  readonly mask: Int32Array;
}

/** Builds {@link FixedWords} from a sample frame, masking the 4-aligned byte ranges given. */
export function fixedWords(
  sample: Uint8Array,
  words: number,
  varying: readonly VaryingField[],
): FixedWords {
  const view = new DataView(sample.buffer, sample.byteOffset, sample.byteLength);
  const fixed = new Int32Array(words);
  const mask = new Int32Array(words).fill(-1);
  for (const { at, bytes } of varying) {
    for (let w = at >> 2; w < (at + bytes) >> 2; w++) mask[w] = 0;
  }
  for (let w = 0; w < words; w++) fixed[w] = view.getInt32(w * 4, true) & (mask[w] as number);
  return { fixed, mask };
}

/**
 * Compares frames with {@link FixedWords} through an Int32Array over the frame's whole buffer,
 * made once per buffer (small frames arrive in the ring reader's 32 KiB slabs): a quarter of
 * a byte loop's loads. Frames from a ring are 8-aligned; an unaligned one never matches.
 */
export class WordMatcher {
  private buffer: ArrayBufferLike | undefined;
  private words: Int32Array<ArrayBufferLike> = new Int32Array(0);

  /** Whether `bytes` starts with `front`'s fixed words (its masked words aside). */
  matches(bytes: Uint8Array, front: FixedWords): boolean {
    if ((bytes.byteOffset & 3) !== 0) return false;
    // The view is kept, big frames' too: measured, a client that let go of each 1 MiB answer's
    // buffer at once took 1.0-1.3 ms per get of it instead of 0.35-0.45 ms (the allocator then
    // hands out fresh pages for the next one). A quiet server calls forget() instead.
    if (bytes.buffer !== this.buffer) {
      this.buffer = bytes.buffer;
      this.words = new Int32Array(bytes.buffer, 0, bytes.buffer.byteLength >> 2);
    }
    const { fixed, mask } = front;
    const words = this.words;
    const base = bytes.byteOffset >> 2;
    for (let w = 0; w < fixed.length; w++) {
      if (((words[base + w] as number) & (mask[w] as number)) !== fixed[w]) return false;
    }
    return true;
  }

  /**
   * Drops the view of the last buffer: kept, it holds that frame in memory (a 60 MiB request)
   * until the next one comes (docs/operations.md#server-memory).
   */
  forget(): void {
    this.buffer = undefined;
    this.words = new Int32Array(0);
  }
}
