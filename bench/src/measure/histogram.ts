// A latency histogram with logarithmic buckets (1% wide): constant memory however long a run
// is, exact merging across client processes, percentiles within 1%.

/** Bucket growth factor: each bucket is 1% wider than the one below. */
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** Values below this (µs) share bucket 0. */
const FLOOR_US = 0.01;

/** The JSON form of a histogram: bucket index → count, only non-empty buckets. */
export type HistogramJson = Record<string, number>;

/** Latencies in microseconds. */
export class Histogram {
  private readonly counts = new Map<number, number>();
  private total = 0;

  /** Adds one sample, in µs. */
  record(us: number): void {
    const bucket =
      us <= FLOOR_US ? 0 : Math.max(0, Math.ceil(Math.log(us / FLOOR_US) / LOG_GROWTH));
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    this.total++;
  }

  /** Number of samples. */
  get count(): number {
    return this.total;
  }

  /** Adds every sample of `other`. */
  merge(other: Histogram): void {
    for (const [bucket, count] of other.counts) {
      this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + count);
      this.total += count;
    }
  }

  /** The value at quantile `q` (0..1), in µs: the upper edge of its bucket; NaN when empty. */
  quantile(q: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (const bucket of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(bucket) ?? 0;
      if (seen >= rank) return FLOOR_US * GROWTH ** bucket;
    }
    return Number.NaN;
  }

  /** The JSON form, for sending from a client process. */
  toJSON(): HistogramJson {
    return Object.fromEntries(this.counts);
  }

  /** A histogram from its JSON form. */
  static fromJSON(json: HistogramJson): Histogram {
    const histogram = new Histogram();
    for (const [bucket, count] of Object.entries(json)) {
      histogram.counts.set(Number(bucket), count);
      histogram.total += count;
    }
    return histogram;
  }
}
