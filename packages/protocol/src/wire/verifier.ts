import { ErrorCode, IpcError } from '../errors.ts';
import { readI32, readU16, readU32 } from './little-endian.ts';
import { isWellFormedUtf8 } from './utf8.ts';

/** Limits that bound the time and memory a verification can take (spec/messages.md#verification). */
export interface VerifyLimits {
  /** Largest frame accepted, in bytes. */
  readonly maxBytes: number;
  /** Deepest nesting of tables (the root table is depth 0). */
  readonly maxDepth: number;
  /** Most tables one frame may contain, counting a shared table each time it is reached. */
  readonly maxTables: number;
}

/** The limits used when the caller gives none: large enough for a 64 MiB value. */
export const defaultVerifyLimits: VerifyLimits = {
  maxBytes: 128 * 1024 * 1024,
  maxDepth: 64,
  maxTables: 1_000_000,
};

/**
 * Bounds-checks a FlatBuffer before anything reads it (spec/messages.md#verification). The
 * generated `verify*` functions walk the schema and call these checks; any violation throws
 * an {@link IpcError} with code `Malformed`. Work is linear in the frame's size: tables are
 * counted and string bytes are budgeted, so offsets that share or loop cannot amplify it.
 */
export class Verifier {
  // No DataView (see little-endian.ts): verification allocates nothing per frame.
  /** The frame being verified (generated verifiers read vtable entries from it directly). */
  bytes: Uint8Array;
  private length: number;
  private limits: VerifyLimits;
  private tables = 0;
  // Every byte of a well-formed frame is checked at most once; shared strings would be
  // checked again, so the UTF-8 work is capped at the frame's own size.
  private utf8Budget: number;
  /** Element count of the vector last returned by {@link vector}. */
  vectorLength = 0;

  constructor(bytes: Uint8Array = new Uint8Array(0), limits: VerifyLimits = defaultVerifyLimits) {
    this.bytes = bytes;
    this.length = bytes.length;
    this.limits = limits;
    this.utf8Budget = bytes.length;
  }

  /** Prepares this verifier for another frame, so one instance serves every frame. */
  reset(bytes: Uint8Array, limits: VerifyLimits): this {
    this.bytes = bytes;
    this.length = bytes.length;
    this.limits = limits;
    this.tables = 0;
    this.utf8Budget = bytes.length;
    this.vectorLength = 0;
    return this;
  }

  private u16(at: number): number {
    return readU16(this.bytes, at);
  }

  private i32(at: number): number {
    return readI32(this.bytes, at);
  }

  private u32(at: number): number {
    return readU32(this.bytes, at);
  }

  /**
   * Checks the buffer header: size within limits, the 4-byte file identifier, and the root
   * offset. Returns the root table's position.
   */
  root(fileIdentifier: string): number {
    if (this.length > this.limits.maxBytes) {
      this.fail(
        `frame of ${this.length} bytes exceeds the limit of ${this.limits.maxBytes}`,
        'frame',
        0,
      );
    }
    if (this.length < 8) this.fail('frame shorter than its 8-byte header', 'frame', 0);
    for (let i = 0; i < 4; i++) {
      if (this.bytes[4 + i] !== fileIdentifier.charCodeAt(i)) {
        this.fail(`file identifier is not "${fileIdentifier}"`, 'frame', 4);
      }
    }
    return this.target(0, 'root');
  }

  /**
   * Checks the table at `table`: its vtable, and that both lie inside the buffer. Returns the
   * vtable's position. `depth` counts the tables above this one.
   */
  table(table: number, depth: number, where: string): number {
    if (depth > this.limits.maxDepth) this.fail('tables nested too deeply', where, table);
    if (++this.tables > this.limits.maxTables) this.fail('too many tables', where, table);
    if (table % 4 !== 0) this.fail('misaligned table', where, table);
    if (table + 4 > this.length) this.fail('table out of bounds', where, table);
    const vtable = table - this.i32(table);
    if (vtable < 0 || vtable % 2 !== 0 || vtable + 4 > this.length) {
      this.fail('vtable out of bounds', where, table);
    }
    const vtableSize = this.u16(vtable);
    const tableSize = this.u16(vtable + 2);
    if (vtableSize < 4 || vtableSize % 2 !== 0 || vtable + vtableSize > this.length) {
      this.fail('bad vtable size', where, vtable);
    }
    if (tableSize < 4 || table + tableSize > this.length) this.fail('bad table size', where, table);
    return vtable;
  }

  /**
   * Position of a field of `size` bytes, or 0 when the table does not have it. Checks that the
   * field lies inside the table and is aligned to its size.
   */
  field(table: number, vtable: number, slot: number, size: number, where: string): number {
    if (slot >= this.u16(vtable)) return 0;
    const offset = this.u16(vtable + slot);
    if (offset === 0) return 0;
    const at = table + offset;
    if (offset < 4 || offset + size > this.u16(vtable + 2)) {
      this.fail('field outside its table', where, at);
    }
    if (at % size !== 0) this.fail('misaligned field', where, at);
    return at;
  }

  /** Fails for a field that {@link fieldPosition} found outside its table or misaligned. */
  badField(where: string, table: number): never {
    this.fail('field outside its table or misaligned', where, table);
  }

  /** Checks a required field is present (`at` is what {@link field} returned). */
  present(at: number, where: string, table: number): void {
    if (at === 0) this.fail('required field missing', where, table);
  }

  /** Checks the 1-byte boolean at `at` (if present) is 0 or 1. */
  bool(at: number, where: string): void {
    if (at !== 0 && (this.bytes[at] as number) > 1)
      this.fail('boolean is neither 0 nor 1', where, at);
  }

  /** Reads an unsigned enum or union tag of `size` bytes at `at` (0 when absent). */
  tag(at: number, size: 1 | 2 | 4): number {
    if (at === 0) return 0;
    if (size === 1) return this.bytes[at] as number;
    return size === 2 ? this.u16(at) : this.u32(at);
  }

  /** Reads a signed enum of `size` bytes at `at` (0 when absent). */
  signedTag(at: number, size: 1 | 2 | 4): number {
    if (at === 0) return 0;
    if (size === 1) return ((this.bytes[at] as number) << 24) >> 24;
    return size === 2 ? (this.u16(at) << 16) >> 16 : this.i32(at);
  }

  /** Fails with a message naming the enum value that is not in the schema. */
  badEnum(value: number, where: string, at: number): never {
    this.fail(`value ${value} is not in the enum`, where, at);
  }

  /** Follows the uoffset at `at` (4-aligned, non-zero, inside the buffer) and returns its target. */
  target(at: number, where: string): number {
    if (at % 4 !== 0 || at + 4 > this.length)
      this.fail('misaligned or out-of-bounds offset', where, at);
    const offset = this.u32(at);
    const target = at + offset;
    if (offset === 0 || target >= this.length) this.fail('offset out of bounds', where, at);
    return target;
  }

  /** Checks the string whose uoffset is at `at`: bounds, terminating zero, well-formed UTF-8. */
  string(at: number, where: string): void {
    const start = this.target(at, where);
    const length = this.vectorHeader(start, 1, where);
    const end = start + 4 + length;
    if (end >= this.length || this.bytes[end] !== 0)
      this.fail('string not zero-terminated', where, start);
    this.utf8Budget -= length;
    if (this.utf8Budget < 0)
      this.fail('strings overlap (verification budget exceeded)', where, start);
    if (!isWellFormedUtf8(this.bytes, start + 4, end))
      this.fail('string is not valid UTF-8', where, start);
  }

  /**
   * Checks the vector whose uoffset is at `at` holds `elementSize`-byte elements inside the
   * buffer. Returns the position of its first element; its length is in {@link vectorLength}.
   */
  vector(at: number, elementSize: number, where: string): number {
    const start = this.target(at, where);
    this.vectorLength = this.vectorHeader(start, elementSize, where);
    return start + 4;
  }

  private vectorHeader(start: number, elementSize: number, where: string): number {
    if (start % 4 !== 0 || start + 4 > this.length)
      this.fail('vector header out of bounds', where, start);
    const length = this.u32(start);
    // Compare counts, not byte sizes, so a huge declared length cannot overflow the product.
    if (length > Math.floor((this.length - start - 4) / elementSize)) {
      this.fail(`declared length ${length} runs past the end of the frame`, where, start);
    }
    return length;
  }

  /** Throws the verifier's one error: an {@link IpcError} with code `Malformed`. */
  fail(reason: string, where: string, at: number): never {
    throw new IpcError(ErrorCode.Malformed, `invalid frame: ${reason} (${where}, byte ${at})`);
  }
}

/**
 * Position of the field whose vtable entry is at `entry` (inside a vtable already checked by
 * {@link Verifier.table}): 0 when absent, -1 when its `size` bytes lie outside the table or are
 * not aligned to `size`. Small and throw-free so V8 inlines it into the generated verifiers,
 * which call it once per field.
 */
export function fieldPosition(
  bytes: Uint8Array,
  table: number,
  entry: number,
  tableSize: number,
  size: number,
): number {
  const offset = readU16(bytes, entry);
  if (offset === 0) return 0;
  const at = table + offset;
  return offset >= 4 && offset + size <= tableSize && at % size === 0 ? at : -1;
}
