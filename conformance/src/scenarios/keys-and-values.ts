// Keys beyond ASCII and values whose bytes must survive exactly: what a client must not
// normalise, re-escape or re-encode on the way.
import { Buffer } from 'node:buffer';
import { equal, expectCode } from '../harness/assertions.ts';
import type { Scenario } from '../harness/scenario.ts';
import { base64Of, textOf } from './text.ts';

/** Keys whose UTF-8 and UTF-16 orders differ, with NUL, controls, combining marks, emoji. */
const ODD_KEYS = [
  'ascii',
  'é-precomposed',
  'e\u0301-combining',
  'ключ',
  '中文键',
  '\u{1F600}\u{1F389}',
  'nul\u0000inside',
  'tab\tand\nnewline',
  '\u007fdel',
  '\uFB00-ligature',
  '\uFFFD-replacement',
  '\u{10FFFF}-last',
];

/**
 * Documents sent as bytes and what `getBytes` must return: each field's value bytes as
 * sent, only the top level rebuilt (members sorted by name, no whitespace between them,
 * the last of a repeated name kept, names re-escaped as JSON.stringify does).
 */
const EXACT_DOCUMENTS: readonly (readonly [what: string, sent: string, stored: string])[] = [
  [
    'escapes kept as written',
    String.raw`{"s":"quote \" backslash \\ slash \/ nl \n tab \t"}`,
    String.raw`{"s":"quote \" backslash \\ slash \/ nl \n tab \t"}`,
  ],
  [
    'escaped controls and separators',
    String.raw`{"u":"\u0000\u001f\u2028\u2029"}`,
    String.raw`{"u":"\u0000\u001f\u2028\u2029"}`,
  ],
  [
    'an escaped surrogate pair and a raw emoji',
    String.raw`{"e":"\ud83d\ude00","raw":"😀"}`,
    String.raw`{"e":"\ud83d\ude00","raw":"😀"}`,
  ],
  ['an escaped lone surrogate', String.raw`{"lone":"\udc00"}`, String.raw`{"lone":"\udc00"}`],
  [
    'numbers beyond double precision',
    '{"big":12345678901234567890123,"f":1.0e-7,"neg":-12.50}',
    '{"big":12345678901234567890123,"f":1.0e-7,"neg":-12.50}',
  ],
  ['whitespace inside values', '{"n":[1, 2,\t3],"o":{"b" : 1}}', '{"n":[1, 2,\t3],"o":{"b" : 1}}'],
  ['top-level whitespace and order', ' { "z" : 1 , "a" : "x" } ', '{"a":"x","z":1}'],
  ['a repeated name', '{"a":1,"a":2}', '{"a":2}'],
  ['an escaped name', String.raw`{"\u0061b":1}`, '{"ab":1}'],
  ['the empty object', '{}', '{}'],
  ['an empty name', '{"":1}', '{"":1}'],
  ['raw non-ASCII text', '{"t":"中文 ключ 😀 \u2028"}', '{"t":"中文 ключ 😀 \u2028"}'],
];

/** The key and value scenarios. */
export const keyAndValueScenarios: readonly Scenario[] = [
  {
    name: 'unicode, emoji, NUL and control characters in keys',
    async run({ driver, key }) {
      const prefix = `${key('keys')}/`;
      const keys = ODD_KEYS.map((k) => prefix + k);
      for (const k of keys) await driver.ok('put', { key: k, value: { k } });
      for (const k of keys)
        equal(await driver.ok('get', { key: k }), { k }, `get ${JSON.stringify(k)}`);
      // Keys are ordered by their UTF-8 bytes, which is code point order, not UTF-16 order.
      const byUtf8 = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      const listed = await driver.ok('list', { prefix });
      equal(
        listed.items.map((item) => item.key),
        byUtf8,
        'list order',
      );
      equal(
        (await driver.ok('list', { prefix: `${prefix}\u{1F600}` })).items.map((item) => item.key),
        [`${prefix}\u{1F600}\u{1F389}`],
        'an emoji prefix',
      );
      await driver.ok('delete', { key: `${prefix}nul\u0000inside` });
      equal(await driver.ok('get', { key: `${prefix}nul` }), null, 'NUL does not end the key');
    },
  },
  {
    name: 'keys with lone surrogates are refused',
    needs: ['loneSurrogates'],
    async run({ driver, key }) {
      // spec/crdt.md#keys: well-formed UTF-16 only; a lone surrogate cannot become UTF-8.
      const base = key('lone');
      for (const lone of ['\uD800', '\uDC00', 'x\uD83D']) {
        expectCode(
          await driver.fails('put', { key: base + lone, value: { v: 1 } }),
          'InvalidArgument',
          `put with key ${JSON.stringify(base + lone)}`,
        );
      }
      equal(
        (await driver.ok('list', { prefix: base })).items,
        [],
        'nothing written (in particular not under U+FFFD)',
      );
    },
  },
  {
    name: 'values are binary-safe',
    async run({ driver, key }) {
      for (const [what, sent, stored] of EXACT_DOCUMENTS) {
        const k = key('doc');
        await driver.ok('put', { key: k, bytes: base64Of(sent) });
        equal(textOf((await driver.ok('getBytes', { key: k })) ?? ''), stored, `getBytes: ${what}`);
        equal(await driver.ok('get', { key: k }), JSON.parse(stored), `get: ${what}`);
      }
    },
  },
];
