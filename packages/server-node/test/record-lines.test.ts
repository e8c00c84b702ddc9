// The export format's lines and the line reader under import (spec/crdt.md#export-format).
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import type { Record as WireRecord } from '@pluresdb-ipc/protocol/messages';
import { describe, expect, it } from 'vitest';
import { inputLines } from '../src/cli/input-lines.ts';
import { parseRecordLine, recordLine } from '../src/cli/record-lines.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

const record: WireRecord = {
  key: 'k\n"é',
  hlc: 18446744073709551615n,
  actor: 'a',
  deleted: false,
  deletedHlc: 5n,
  deletedActor: 'z',
  clock: [{ actor: 'a', counter: 3n }],
  fields: [
    { name: 'n', value: utf8('12345678901234567890.000000000000000001'), hlc: 7n, actor: 'a' },
    { name: 'gone', hlc: 6n, actor: 'b' },
    { name: 'nested', value: utf8('{ "x" : [1, "a b\\n"],\n"y":null}'), hlc: 7n, actor: 'a' },
  ],
  data: utf8(
    '{"n":12345678901234567890.000000000000000001,"nested":{ "x" : [1, "a b\\n"],\n"y":null}}',
  ),
};

async function* chunks(...parts: (string | Uint8Array)[]) {
  for (const part of parts) yield typeof part === 'string' ? utf8(part) : part;
}

async function lines(input: AsyncIterable<Uint8Array>, max = 1000) {
  const out = [];
  for await (const line of inputLines(input, max)) out.push(line);
  return out;
}

describe('record lines', () => {
  it('writes one line per record and reads the same record back, values verbatim', () => {
    const line = recordLine(record);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line).data).toEqual({
      n: 1.2345678901234567e19,
      nested: { x: [1, 'a b\n'], y: null },
    });
    const back = parseRecordLine(line);
    expect(back.key).toBe(record.key);
    expect(back.hlc).toBe(record.hlc);
    expect(back.deletedActor).toBe('z');
    expect(back.clock).toEqual(record.clock);
    const text = (bytes: Uint8Array | undefined) =>
      bytes === undefined ? undefined : new TextDecoder().decode(bytes);
    expect(back.fields?.map((f) => [f.name, text(f.value), f.hlc, f.actor])).toEqual([
      ['n', '12345678901234567890.000000000000000001', 7n, 'a'],
      ['gone', undefined, 6n, 'b'],
      ['nested', '{"x":[1,"a b\\n"],"y":null}', 7n, 'a'],
    ]);
    // With fields, data is not sent on (the registers carry it).
    expect(back.data).toBeUndefined();
  });

  it('takes data as the registers when fields are absent', () => {
    const back = parseRecordLine('{"key":"k","hlc":9,"actor":"a","data":{"v": 1e400}}');
    expect(back.fields).toBeUndefined();
    expect(new TextDecoder().decode(back.data)).toBe('{"v": 1e400}');
  });

  it('refuses what is not a record with InvalidArgument and a reason', () => {
    const cases: [string, string][] = [
      ['nope', 'not JSON'],
      ['[]', 'not a JSON object'],
      ['{"hlc":"1","actor":"a"}', '"key"'],
      ['{"key":"k","hlc":"-1","actor":"a"}', '"hlc"'],
      ['{"key":"k","hlc":"18446744073709551616","actor":"a"}', '"hlc"'],
      ['{"key":"k","hlc":1.5,"actor":"a"}', '"hlc"'],
      ['{"key":"k","hlc":"1"}', '"actor"'],
      ['{"key":"k","hlc":"1","actor":"a","fields":{}}', '"fields"'],
      ['{"key":"k","hlc":"1","actor":"a","fields":[{"name":"x","hlc":"1"}]}', 'field 0'],
      ['{"key":"k","hlc":"1","actor":"a","clock":[{"actor":"a","counter":"x"}]}', 'counter'],
    ];
    for (const [line, reason] of cases) {
      let caught: unknown;
      try {
        parseRecordLine(line);
      } catch (error) {
        caught = error;
      }
      expect(IpcError.is(caught), line).toBe(true);
      expect((caught as IpcError).code).toBe(ErrorCode.InvalidArgument);
      expect((caught as IpcError).message, line).toContain(reason);
    }
  });
});

describe('input lines', () => {
  it('splits across chunks, drops CR before LF, keeps the last line without LF', async () => {
    const got = await lines(chunks('ab', 'c\r\nd', 'e\n\nf'));
    expect(got).toEqual([
      { number: 1, text: 'abc' },
      { number: 2, text: 'de' },
      { number: 3, text: '' },
      { number: 4, text: 'f' },
    ]);
  });

  it('skips a line over the limit without holding it, and reports bad UTF-8', async () => {
    const got = await lines(
      chunks('x'.repeat(600), 'y'.repeat(600), '\nok\n', new Uint8Array([0xff, 10])),
      1000,
    );
    expect(got).toEqual([
      { number: 1, text: undefined, error: 'longer than 1000 bytes' },
      { number: 2, text: 'ok' },
      { number: 3, text: undefined, error: 'not valid UTF-8' },
    ]);
  });
});
