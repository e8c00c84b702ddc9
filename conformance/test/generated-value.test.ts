// The generated document of `putGenerated` as driver-protocol.md describes it: the test values
// in that document hold for our generator and for a second one written from the words alone,
// so the words stay true and suffice to implement it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  digestOf,
  generatedDocument,
  MIN_GENERATED_BYTES,
} from '../src/harness/generated-value.ts';
import { conformanceDir } from '../src/paths.ts';

interface TestValue {
  readonly bytes: number;
  readonly seed: number;
  readonly start: string;
  readonly sha256: string;
}

/** The rows of the "Test values" table of driver-protocol.md. */
function documentedValues(): TestValue[] {
  const text = readFileSync(join(conformanceDir, 'driver-protocol.md'), 'utf8');
  const section = text.slice(text.indexOf('### Test values'));
  const rows = [...section.matchAll(/^\| (\d+) \| (\d+) \| `([^`]+)` \| `([0-9a-f]{64})` \|$/gm)];
  return rows.map(([, bytes, seed, start, sha256]) => ({
    bytes: Number(bytes),
    seed: Number(seed),
    start: start as string,
    sha256: sha256 as string,
  }));
}

/** The generator as the document words it, written independently of generated-value.ts. */
function fromTheWords(bytes: number, seed: number): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const filler: string[] = [];
  let x = seed === 0 ? 1 : seed;
  for (let i = 0; i < bytes - 8; i++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    filler.push(alphabet[x & 63] as string);
  }
  return new TextEncoder().encode(`{"v":"${filler.join('')}"}`);
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const values = documentedValues();

describe('the generated document (driver-protocol.md#the-generated-document)', () => {
  it('has test values in the document', () => {
    expect(values.length).toBeGreaterThanOrEqual(6);
    expect(Math.min(...values.map((value) => value.bytes))).toBe(MIN_GENERATED_BYTES);
  });

  it.each(values.map((value) => [value.bytes, value.seed, value] as const))(
    '%i bytes from seed %i: our generator gives the documented bytes and digest',
    (bytes, seed, value) => {
      const document = generatedDocument(bytes, seed);
      expect(new TextDecoder().decode(document.subarray(0, value.start.length))).toBe(value.start);
      expect(digestOf(document)).toEqual({ length: bytes, sha256: value.sha256 });
    },
  );

  it.each(
    values
      .filter((value) => value.bytes <= 1024 * 1024)
      .map((value) => [value.bytes, value.seed, value] as const),
  )('%i bytes from seed %i: the words alone give the same', (bytes, _seed, value) => {
    expect(sha256(fromTheWords(bytes, value.seed))).toBe(value.sha256);
  });

  it('the words and the code agree on other sizes and seeds', () => {
    for (const [bytes, seed] of [
      [9, 3],
      [100, 0],
      [1000, 123_456_789],
      [4097, 2 ** 31],
    ] as const) {
      expect(fromTheWords(bytes, seed)).toEqual(generatedDocument(bytes, seed));
    }
  });
});
