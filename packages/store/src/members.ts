// The fields of one write, as spans of bytes (spec/crdt.md#values): each member's name (its
// UTF-8 form, unescaped) and its value (UTF-8 JSON) are ranges of `source`. The write path
// never turns names or values into JavaScript strings; the arrays are reused from write to
// write, so a Members instance is valid only until the next one is built.
import { compareSpans } from './spans.ts';

const EMPTY_SOURCE = new Uint8Array(0);

/** The fields of a write, sorted by name, with duplicate names resolved (last one wins). */
export class Members {
  /** The bytes every span points into. */
  source: Uint8Array = EMPTY_SOURCE;
  /** Number of members, after {@link finish}: distinct names only. */
  count = 0;
  nameStart = new Int32Array(32);
  nameEnd = new Int32Array(32);
  valueStart = new Int32Array(32);
  valueEnd = new Int32Array(32);
  /**
   * False when every name is known to be JSON-safe as it is (taken from between the quotes of
   * JSON text without escapes); true when a name may need escaping inside JSON quotes.
   */
  namesNeedEscaping = false;

  /** Starts a new list over `source`. */
  reset(source: Uint8Array, namesNeedEscaping: boolean): void {
    this.source = source;
    this.count = 0;
    this.namesNeedEscaping = namesNeedEscaping;
  }

  /**
   * Lets go of `source` once the write is encoded: the one Members every write reuses
   * otherwise held the last write's bytes, the whole frame of a 64 MiB value in the server,
   * until the next write (docs/operations.md#server-memory).
   */
  release(): void {
    this.source = EMPTY_SOURCE;
  }

  /** Appends a member. */
  add(nameStart: number, nameEnd: number, valueStart: number, valueEnd: number): void {
    const k = this.count++;
    if (k === this.nameStart.length) this.#grow();
    this.nameStart[k] = nameStart;
    this.nameEnd[k] = nameEnd;
    this.valueStart[k] = valueStart;
    this.valueEnd[k] = valueEnd;
  }

  #grow(): void {
    const size = this.nameStart.length * 2;
    const grow = (from: Int32Array) => {
      const to = new Int32Array(size);
      to.set(from);
      return to;
    };
    this.nameStart = grow(this.nameStart);
    this.nameEnd = grow(this.nameEnd);
    this.valueStart = grow(this.valueStart);
    this.valueEnd = grow(this.valueEnd);
  }

  /**
   * Sorts members by name in UTF-8 byte order (= code point order) and keeps only the last of
   * equal names, as JSON.parse does. Insertion sort: records have few fields, and it is stable.
   */
  finish(): void {
    const { source, nameStart, nameEnd, valueStart, valueEnd } = this;
    for (let i = 1; i < this.count; i++) {
      const ns = nameStart[i] as number;
      const ne = nameEnd[i] as number;
      const vs = valueStart[i] as number;
      const ve = valueEnd[i] as number;
      let j = i - 1;
      while (
        j >= 0 &&
        compareSpans(source, nameStart[j] as number, nameEnd[j] as number, source, ns, ne) > 0
      ) {
        nameStart[j + 1] = nameStart[j] as number;
        nameEnd[j + 1] = nameEnd[j] as number;
        valueStart[j + 1] = valueStart[j] as number;
        valueEnd[j + 1] = valueEnd[j] as number;
        j--;
      }
      nameStart[j + 1] = ns;
      nameEnd[j + 1] = ne;
      valueStart[j + 1] = vs;
      valueEnd[j + 1] = ve;
    }
    let out = 0;
    for (let i = 0; i < this.count; i++) {
      const next = i + 1;
      if (
        next < this.count &&
        compareSpans(
          source,
          nameStart[i] as number,
          nameEnd[i] as number,
          source,
          nameStart[next] as number,
          nameEnd[next] as number,
        ) === 0
      ) {
        continue; // a later member of the same name wins
      }
      nameStart[out] = nameStart[i] as number;
      nameEnd[out] = nameEnd[i] as number;
      valueStart[out] = valueStart[i] as number;
      valueEnd[out] = valueEnd[i] as number;
      out++;
    }
    this.count = out;
  }
}
