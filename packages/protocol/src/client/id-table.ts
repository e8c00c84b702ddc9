// A table keyed by request ids, which a client hands out in sequence: an id's slot in an
// array is its low bits, so adding, finding and removing cost an array access each. (A Map
// took ~70 ns for the set, get and delete of one request, a third of them in the delete.)
// Ids in flight normally span a few slots; one that outlives many newer ones (a request with
// a long timeout) lands in an overflow Map once the array is at its largest.

/** Starting slot count (a power of two). */
const FIRST_SLOTS = 16;
/** The array stops growing here; later collisions go to the overflow Map. */
const MAX_SLOTS = 1 << 16;

/** Entries keyed by non-negative integer ids, cheapest when ids are handed out in sequence. */
export class IdTable<T> {
  private values: (T | undefined)[] = new Array<T | undefined>(FIRST_SLOTS).fill(undefined);
  private ids: number[] = new Array<number>(FIRST_SLOTS).fill(-1);
  private mask = FIRST_SLOTS - 1;
  private readonly overflow = new Map<number, T>();
  private count = 0;

  /** Entries held. */
  get size(): number {
    return this.count;
  }

  /** Adds `value` under `id` (an id not in the table). */
  set(id: number, value: T): void {
    let slot = this.slotOf(id);
    while (this.values[slot] !== undefined) {
      if (this.values.length >= MAX_SLOTS) {
        this.overflow.set(id, value);
        this.count++;
        return;
      }
      this.grow();
      slot = this.slotOf(id);
    }
    this.values[slot] = value;
    this.ids[slot] = id;
    this.count++;
  }

  /** Removes and returns the entry of `id`, if any. */
  take(id: number): T | undefined {
    const slot = this.slotOf(id);
    const value = this.values[slot];
    if (value !== undefined && this.ids[slot] === id) {
      this.values[slot] = undefined;
      this.count--;
      return value;
    }
    if (this.overflow.size === 0) return undefined;
    const spilled = this.overflow.get(id);
    if (spilled !== undefined) {
      this.overflow.delete(id);
      this.count--;
    }
    return spilled;
  }

  /** Every entry, with its id (a snapshot: the table may change while it is used). */
  entries(): [number, T][] {
    const all: [number, T][] = [];
    for (let slot = 0; slot < this.values.length; slot++) {
      const value = this.values[slot];
      if (value !== undefined) all.push([this.ids[slot] as number, value]);
    }
    for (const entry of this.overflow) all.push(entry);
    return all;
  }

  /** Removes everything. */
  clear(): void {
    this.values.fill(undefined);
    this.overflow.clear();
    this.count = 0;
  }

  // The id's low bits (for ids past 2^31 too: `&` keeps the low 32 bits, the mask fewer).
  private slotOf(id: number): number {
    return id & this.mask;
  }

  /** Doubles the array until every entry has a slot of its own again. */
  private grow(): void {
    const entries: [number, T][] = [];
    for (let slot = 0; slot < this.values.length; slot++) {
      const value = this.values[slot];
      if (value !== undefined) entries.push([this.ids[slot] as number, value]);
    }
    let size = this.values.length * 2;
    for (;;) {
      const mask = size - 1;
      const used = new Set(entries.map(([id]) => id & mask));
      if (used.size === entries.length || size >= MAX_SLOTS) {
        this.mask = mask;
        this.values = new Array<T | undefined>(size).fill(undefined);
        this.ids = new Array<number>(size).fill(-1);
        for (const [id, value] of entries) {
          const slot = this.slotOf(id);
          if (this.values[slot] === undefined) {
            this.values[slot] = value;
            this.ids[slot] = id;
          } else {
            this.overflow.set(id, value);
          }
        }
        return;
      }
      size *= 2;
    }
  }
}
