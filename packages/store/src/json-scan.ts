// A validating scanner for UTF-8 JSON bytes (RFC 8259), used instead of JSON.parse on the
// write path: it checks the whole text once and records each top-level member's name and
// value as spans of the input, which the store then copies as they are. Parsing into objects
// and serialising each field again cost ~1.4 µs per write, more than the LMDB put itself
// (spec/crdt.md#values).
import type { ByteWriter } from './byte-writer.ts';
import { MAX_JSON_DEPTH } from './limits.ts';
import type { Members } from './members.ts';
import { invalidArgument, tooLarge } from './store-errors.ts';
import { readUtf8, utf8Length } from './text.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Validates `bytes` as one JSON object (UTF-8, optional surrounding whitespace) and fills
 * `into` with its members: names and values as spans of `bytes`. Names that use escapes are
 * decoded and, with all values, copied to `scratch`. Throws `InvalidArgument` for anything
 * that is not exactly one JSON object, `TooLarge` for nesting deeper than {@link MAX_JSON_DEPTH}.
 */
export function scanObject(
  bytes: Uint8Array,
  what: string,
  into: Members,
  scratch: ByteWriter,
): void {
  if (!(bytes instanceof Uint8Array))
    throw invalidArgument(`${what} must be a Uint8Array of UTF-8 JSON`);
  const scanner = new Scanner(bytes, what);
  into.reset(bytes, false);
  let escaped = false;
  let p = scanner.ws(0);
  if (bytes[p] !== 0x7b) throw scanner.fail(p, 'a JSON object');
  p = scanner.ws(p + 1);
  if (bytes[p] === 0x7d) {
    scanner.end(p + 1);
    return;
  }
  for (;;) {
    if (bytes[p] !== QUOTE) throw scanner.fail(p, 'a member name');
    const nameEnd = scanner.string(p);
    if (scanner.escapes) escaped = true;
    const name = p;
    p = scanner.ws(nameEnd);
    if (bytes[p] !== 0x3a) throw scanner.fail(p, "':'");
    const start = scanner.ws(p + 1);
    const end = scanner.value(start, 1);
    into.add(name + 1, nameEnd - 1, start, end);
    p = scanner.ws(end);
    if (bytes[p] === 0x2c) {
      p = scanner.ws(p + 1);
      continue;
    }
    if (bytes[p] === 0x7d) break;
    throw scanner.fail(p, "',' or '}'");
  }
  scanner.end(p + 1);
  if (escaped) unescapeNames(bytes, into, scratch);
}

// Rare path: some name used escapes (\u0041, \"). Copy every member to `scratch` with its
// name decoded, so names are plain UTF-8 like everywhere else.
function unescapeNames(bytes: Uint8Array, into: Members, scratch: ByteWriter): void {
  const spans: number[] = [];
  scratch.reset();
  for (let k = 0; k < into.count; k++) {
    const token = readUtf8(
      bytes,
      (into.nameStart[k] as number) - 1,
      (into.nameEnd[k] as number) + 1,
    );
    const name = JSON.parse(token) as string;
    checkFieldName(name);
    const nameStart = scratch.position;
    scratch.utf8(name);
    const valueStart = scratch.position;
    scratch.bytes(bytes.subarray(into.valueStart[k] as number, into.valueEnd[k] as number));
    spans.push(nameStart, valueStart, valueStart, scratch.position);
  }
  into.reset(scratch.buffer, true);
  for (let k = 0; k < spans.length; k += 4) {
    into.add(
      spans[k] as number,
      spans[k + 1] as number,
      spans[k + 2] as number,
      spans[k + 3] as number,
    );
  }
}

/** Throws unless `name` is usable as a field name (well-formed, so it survives UTF-8). */
export function checkFieldName(name: string): void {
  if (utf8Length(name) < 0) {
    throw invalidArgument(
      `field name ${JSON.stringify(name)} is not well-formed UTF-16 (lone surrogate)`,
    );
  }
}

/** Throws unless `bytes` is exactly one JSON value (used for values merged from replicas). */
export function checkJsonValue(bytes: Uint8Array, what: string): void {
  if (!(bytes instanceof Uint8Array))
    throw invalidArgument(`${what} must be a Uint8Array of UTF-8 JSON`);
  const scanner = new Scanner(bytes, what);
  const start = scanner.ws(0);
  if (scanner.ws(scanner.value(start, 1)) !== bytes.length)
    throw scanner.fail(start, 'one JSON value');
}

class Scanner {
  readonly #b: Uint8Array;
  readonly #what: string;

  constructor(bytes: Uint8Array, what: string) {
    this.#b = bytes;
    this.#what = what;
  }

  ws(p: number): number {
    const b = this.#b;
    for (;;) {
      const c = b[p];
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return p;
      p++;
    }
  }

  /** Set by {@link string} when the string it scanned holds a backslash escape. */
  escapes = false;

  end(p: number): void {
    if (this.ws(p) !== this.#b.length) throw this.fail(this.ws(p), 'the end of the text');
  }

  value(p: number, depth: number): number {
    const b = this.#b;
    const c = b[p];
    if (c === QUOTE) return this.string(p);
    if (c === 0x2d || (c !== undefined && c >= 0x30 && c <= 0x39)) return this.number(p);
    if (c === 0x7b || c === 0x5b) {
      if (depth > MAX_JSON_DEPTH)
        throw tooLarge(`${this.#what} is nested deeper than ${MAX_JSON_DEPTH} levels`);
      return c === 0x7b ? this.object(p, depth) : this.array(p, depth);
    }
    if (c === 0x74) return this.literal(p, 'true');
    if (c === 0x66) return this.literal(p, 'false');
    if (c === 0x6e) return this.literal(p, 'null');
    throw this.fail(p, 'a JSON value');
  }

  object(p: number, depth: number): number {
    const b = this.#b;
    p = this.ws(p + 1);
    if (b[p] === 0x7d) return p + 1;
    for (;;) {
      if (b[p] !== QUOTE) throw this.fail(p, 'a member name');
      p = this.ws(this.string(p));
      if (b[p] !== 0x3a) throw this.fail(p, "':'");
      p = this.ws(this.value(this.ws(p + 1), depth + 1));
      if (b[p] === 0x2c) {
        p = this.ws(p + 1);
        continue;
      }
      if (b[p] === 0x7d) return p + 1;
      throw this.fail(p, "',' or '}'");
    }
  }

  array(p: number, depth: number): number {
    const b = this.#b;
    p = this.ws(p + 1);
    if (b[p] === 0x5d) return p + 1;
    for (;;) {
      p = this.ws(this.value(p, depth + 1));
      if (b[p] === 0x2c) {
        p = this.ws(p + 1);
        continue;
      }
      if (b[p] === 0x5d) return p + 1;
      throw this.fail(p, "',' or ']'");
    }
  }

  /** `p` is at the opening quote; returns the position after the closing one. */
  string(p: number): number {
    const b = this.#b;
    p++;
    this.escapes = false;
    for (;;) {
      const c = b[p];
      if (c === QUOTE) return p + 1;
      if (c === undefined) throw this.fail(p, 'a closing quote');
      if (c < 0x20) throw this.fail(p, 'an escaped control character');
      if (c === BACKSLASH) {
        this.escapes = true;
        const e = b[p + 1];
        if (e === 0x75) {
          for (let k = 2; k < 6; k++)
            if (!isHex(b[p + k])) throw this.fail(p, 'a \\u escape with 4 hex digits');
          p += 6;
          continue;
        }
        // " \ / b f n r t
        if (
          e !== QUOTE &&
          e !== BACKSLASH &&
          e !== 0x2f &&
          e !== 0x62 &&
          e !== 0x66 &&
          e !== 0x6e &&
          e !== 0x72 &&
          e !== 0x74
        ) {
          throw this.fail(p, 'a valid escape');
        }
        p += 2;
        continue;
      }
      // Outside strings any byte above 0x7F is a syntax error, so checking UTF-8 here (rather
      // than over the whole text first) covers the whole text.
      p = c < 0x80 ? p + 1 : this.utf8(p, c);
    }
  }

  /** Checks the multi-byte UTF-8 sequence starting with `c` at `p` (RFC 3629); returns its end. */
  utf8(p: number, c: number): number {
    const b = this.#b;
    let n: number;
    let low = 0x80;
    let high = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) low = 0xa0; // no overlong forms
      if (c === 0xed) high = 0x9f; // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) low = 0x90; // no overlong forms
      if (c === 0xf4) high = 0x8f; // nothing above U+10FFFF
    } else throw invalidArgument(`${this.#what} is not valid UTF-8 (byte ${p})`);
    const second = b[p + 1];
    if (second === undefined || second < low || second > high) {
      throw invalidArgument(`${this.#what} is not valid UTF-8 (byte ${p + 1})`);
    }
    for (let k = 2; k <= n; k++) {
      const next = b[p + k];
      if (next === undefined || (next & 0xc0) !== 0x80) {
        throw invalidArgument(`${this.#what} is not valid UTF-8 (byte ${p + k})`);
      }
    }
    return p + n + 1;
  }

  number(p: number): number {
    const b = this.#b;
    if (b[p] === 0x2d) p++;
    if (b[p] === 0x30) p++;
    else if (isDigit(b[p])) while (isDigit(b[p])) p++;
    else throw this.fail(p, 'a digit');
    if (b[p] === 0x2e) {
      p++;
      if (!isDigit(b[p])) throw this.fail(p, 'a digit after the decimal point');
      while (isDigit(b[p])) p++;
    }
    if (b[p] === 0x65 || b[p] === 0x45) {
      p++;
      if (b[p] === 0x2b || b[p] === 0x2d) p++;
      if (!isDigit(b[p])) throw this.fail(p, 'an exponent digit');
      while (isDigit(b[p])) p++;
    }
    return p;
  }

  literal(p: number, word: string): number {
    const b = this.#b;
    for (let k = 0; k < word.length; k++) {
      if (b[p + k] !== word.charCodeAt(k)) throw this.fail(p, 'true, false or null');
    }
    return p + word.length;
  }

  fail(p: number, expected: string): Error {
    const at = p >= this.#b.length ? 'the end' : `byte ${p}`;
    return invalidArgument(`${this.#what} is not valid JSON: expected ${expected} at ${at}`);
  }
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

function isHex(c: number | undefined): boolean {
  return (
    c !== undefined &&
    ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46))
  );
}
