// Key ranges (spec/crdt.md#ranges): a prefix, an inclusive `start` and an exclusive `end`,
// together. List, count and deleteRange read the same bounds from here, so the three agree on
// which keys a range holds.
import { Buffer } from 'node:buffer';
import { checkKey, checkPrefix } from './keys.ts';
import { compareCodePoints } from './text.ts';

/** A range of keys: each bound optional, all of them together. */
export interface KeyRange {
  /** Only keys starting with this prefix; default (or '') every key. */
  readonly prefix?: string | undefined;
  /** Only keys at or after this one (inclusive); '' = no bound. */
  readonly start?: string | undefined;
  /** Only keys strictly before this one (exclusive); '' = no bound. */
  readonly end?: string | undefined;
}

/** A validated range as LMDB bounds. */
export interface RangeBounds {
  readonly prefix: string;
  /** Inclusive lower bound: the larger of `prefix` and `start`. */
  readonly lower: string;
  /**
   * Exclusive upper bound, as lmdb-js takes it: `end` when it is the tighter bound, else the
   * prefix's UTF-8 bytes followed by 0xFF (a byte no UTF-8 text holds, so every key with the
   * prefix sorts before it and every other key above the prefix after it).
   */
  readonly upper: string | Uint8Array;
  /** `upper` as text when it is a key (`end`), undefined when it is the prefix's end. */
  readonly upperKey: string | undefined;
  /** True when no key can be in the range (e.g. `start` at or after `end`). */
  readonly empty: boolean;
}

/** Checks a range's bounds and turns them into LMDB bounds. Throws `InvalidArgument`. */
export function rangeBounds(range: KeyRange | undefined): RangeBounds {
  const prefix = range?.prefix ?? '';
  checkPrefix(prefix);
  const start = bound(range?.start, 'start');
  const end = bound(range?.end, 'end');
  const lower = start !== undefined && compareCodePoints(start, prefix) > 0 ? start : prefix;
  // `end` is tighter than the prefix's end when every key below it could still hold the prefix.
  const endInside =
    end !== undefined && (end.startsWith(prefix) || compareCodePoints(end, prefix) < 0);
  const upperKey = endInside ? end : undefined;
  const upper = upperKey ?? prefixEnd(prefix);
  const empty =
    !lower.startsWith(prefix) ||
    (upperKey !== undefined && compareCodePoints(lower, upperKey) >= 0);
  return { prefix, lower, upper, upperKey, empty };
}

/** True when `key` sorts before the range's exclusive upper bound. */
export function belowUpper(bounds: RangeBounds, key: string): boolean {
  return bounds.upperKey === undefined
    ? key.startsWith(bounds.prefix) || compareCodePoints(key, bounds.prefix) < 0
    : compareCodePoints(key, bounds.upperKey) < 0;
}

// An empty bound means no bound, as on the wire (spec/messages.md#keys).
function bound(value: string | undefined, what: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  checkKey(value, what);
  return value;
}

function prefixEnd(prefix: string): Uint8Array {
  const bytes = Buffer.from(prefix, 'utf8');
  const out = Buffer.allocUnsafe(bytes.length + 1);
  bytes.copy(out);
  out[bytes.length] = 0xff;
  return out;
}
