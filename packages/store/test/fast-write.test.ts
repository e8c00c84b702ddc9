// The byte-level put/patch (the hot path) must produce exactly the bytes of the reference
// CRDT functions (crdt.ts + record-codec.ts), for any previous record and any input.
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPatch, applyPut } from '../src/crdt.ts';
import { encodeLocalWrite } from '../src/fast-write.ts';
import { packHlc } from '../src/index.ts';
import { fieldValues, membersFromJson, membersFromObject } from '../src/json-input.ts';
import { encodeRecord } from '../src/record-codec.ts';
import { actorArb, stateArb } from './arbitraries.ts';

const names = [
  'f',
  'g',
  'h',
  'é',
  '\u{1F600}x',
  '\uFFFDz',
  'new',
  'q"uote',
  'back\\slash',
  'ctl\u0001',
];
const dataArb = fc.dictionary(fc.constantFrom(...names), fc.jsonValue({ maxDepth: 2 }), {
  maxKeys: 6,
});
const stamp = packHlc(1_700_000_000_100, 0);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('fast put/patch', () => {
  it('matches the reference for object input', () => {
    fc.assert(
      fc.property(
        fc.option(stateArb, { nil: undefined }),
        dataArb,
        fc.constantFrom('put' as const, 'patch' as const),
        actorArb,
        (prev, data, mode, actor) => {
          const previous = prev === undefined ? undefined : encodeRecord(prev, 1 << 20);
          const members = membersFromObject(data);
          const values = fieldValues(members);
          const fast = encodeLocalWrite(
            previous,
            members,
            mode,
            stamp,
            { id: actor, bytes: Buffer.from(actor) },
            1 << 20,
          );
          const apply = mode === 'put' ? applyPut : applyPatch;
          const reference = encodeRecord(apply(prev, values, stamp, actor), 1 << 20);
          expect(hex(fast)).toBe(hex(reference));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('matches the reference for JSON input, whitespace and escaped names included', () => {
    fc.assert(
      fc.property(
        fc.option(stateArb, { nil: undefined }),
        dataArb,
        fc.constantFrom('put' as const, 'patch' as const),
        fc.boolean(),
        fc.boolean(),
        (prev, data, mode, spaced, escapeNames) => {
          let text = JSON.stringify(data, null, spaced ? 2 : undefined);
          if (escapeNames) text = text.replace(/"f"/g, '"\\u0066"');
          const previous = prev === undefined ? undefined : encodeRecord(prev, 1 << 20);
          const members = membersFromJson(Buffer.from(text));
          const values = fieldValues(members);
          const fast = encodeLocalWrite(
            previous,
            members,
            mode,
            stamp,
            { id: 'me', bytes: Buffer.from('me') },
            1 << 20,
          );
          const apply = mode === 'put' ? applyPut : applyPatch;
          const reference = encodeRecord(apply(prev, values, stamp, 'me'), 1 << 20);
          expect(hex(fast)).toBe(hex(reference));
          // The data JSON is the object that was written (patch: merged over the old one).
          const written = JSON.parse(text) as Record<string, unknown>;
          for (const { name, value } of values)
            expect(JSON.parse(Buffer.from(value).toString())).toEqual(written[name]);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
