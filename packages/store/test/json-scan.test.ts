// The write path validates JSON with its own scanner instead of JSON.parse: it must accept
// exactly what JSON.parse accepts (for objects, as UTF-8), and split members the same way.
import { Buffer } from 'node:buffer';
import { ErrorCode } from '@pluresdb-ipc/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldValues, membersFromJson } from '../src/json-input.ts';
import { checkJsonValue } from '../src/json-scan.ts';
import { expectIpcError } from './helpers.ts';

function parseAsStore(bytes: Uint8Array): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { name, value } of fieldValues(membersFromJson(bytes))) {
    Object.defineProperty(out, name, {
      value: JSON.parse(Buffer.from(value).toString()),
      enumerable: true,
    });
  }
  return out;
}

function reference(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return { ok: true, value };
  } catch {
    return { ok: false };
  }
}

const isObject = (value: unknown) =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// Mutations that turn valid JSON into near-misses: the interesting side of the boundary.
const mutate = (text: string, at: number, how: number): string => {
  const i = text.length === 0 ? 0 : at % text.length;
  const insert = [
    ',',
    '}',
    ']',
    '"',
    '\\',
    ' ',
    '0',
    '-',
    '.',
    'e',
    '\u0001',
    '\u00e9',
    'tru',
    '{',
    ':',
  ];
  if (how % 3 === 0) return text.slice(0, i) + text.slice(i + 1);
  return text.slice(0, i) + (insert[how % insert.length] as string) + text.slice(i);
};

describe('JSON scanner', () => {
  it('accepts every JSON object JSON.stringify writes, and splits it like JSON.parse', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: 'grapheme' }), fc.jsonValue({ stringUnit: 'binary' })),
        fc.constantFrom(undefined, 1, '\t'),
        (object, space) => {
          const bytes = Buffer.from(JSON.stringify(object, null, space));
          expect(parseAsStore(bytes)).toEqual(JSON.parse(bytes.toString()));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('agrees with JSON.parse on near-miss texts', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.nat(), fc.nat({ max: 3 }), (text, at, how, rounds) => {
        let mutated = `{"k":${text}}`;
        for (let r = 0; r <= rounds; r++) mutated = mutate(mutated, at + r * 7, how + r);
        const bytes = Buffer.from(mutated);
        const expected = reference(bytes);
        if (expected.ok && isObject(expected.value)) {
          expect(parseAsStore(bytes)).toEqual(expected.value);
        } else {
          expect(() => membersFromJson(bytes)).toThrow();
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with JSON.parse on arbitrary bytes, invalid UTF-8 included', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (tail) => {
        const bytes = Buffer.concat([Buffer.from('{"a":"'), tail, Buffer.from('"}')]);
        const expected = reference(bytes);
        if (expected.ok) expect(parseAsStore(bytes)).toEqual(expected.value);
        else expect(() => membersFromJson(bytes)).toThrow();
      }),
      { numRuns: 3000 },
    );
  });

  it('rejects with InvalidArgument and says where', async () => {
    const error = await expectIpcError(
      () => membersFromJson(Buffer.from('{"a": tru}')),
      ErrorCode.InvalidArgument,
    );
    expect(error.message).toContain('byte 6');
    await expectIpcError(
      () => membersFromJson(Buffer.from('{"a":1} x')),
      ErrorCode.InvalidArgument,
    );
    await expectIpcError(() => membersFromJson(Buffer.from('{"a":01}')), ErrorCode.InvalidArgument);
    await expectIpcError(
      () => membersFromJson(Buffer.from('{"a":"\\x"}')),
      ErrorCode.InvalidArgument,
    );
    await expectIpcError(
      () => membersFromJson(Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d])),
      ErrorCode.InvalidArgument,
    );
    await expectIpcError(() => checkJsonValue(Buffer.from('1 2'), 'v'), ErrorCode.InvalidArgument);
    await expectIpcError(
      () => membersFromJson(Buffer.from(`{"a":${'['.repeat(600)}${']'.repeat(600)}}`)),
      ErrorCode.TooLarge,
    );
  });
});
