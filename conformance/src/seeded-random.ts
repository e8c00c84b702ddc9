/**
 * A small seeded PRNG (mulberry32): the same seed always gives the same sequence, so the
 * mutation corpus is identical on every run and any failure names a reproducible case.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A uniform integer in [0, n). */
  below(n: number): number {
    return this.u32() % n;
  }

  /** One element of `list`, uniformly. */
  pick<T>(list: readonly T[]): T {
    return list[this.below(list.length)] as T;
  }
}
