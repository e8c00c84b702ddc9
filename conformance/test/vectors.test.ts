// Golden vectors against our codec and the official flatc (issue #2, item 4).
import { ErrorCode } from '@pluresdb-ipc/protocol';
import {
  BatchOpKind,
  decodeFrame,
  encodeFrame,
  type Frame,
  FrameBuilder,
  fromFlatcJson,
  RequestBodyTag,
  ResponseBodyTag,
  schemaDescriptor,
  toFlatcJson,
} from '@pluresdb-ipc/protocol/messages';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseBigintJson, stringifyBigintJson } from '../src/bigint-json.ts';
import { firstDifference } from '../src/bytes.ts';
import { ReferenceFlatc } from '../src/flatc.ts';
import { vectorDefinitions } from '../src/vector-definitions.ts';
import { readVectorFiles } from '../src/vector-files.ts';

const vectors = readVectorFiles();
const parsed = new Map<string, Frame>();
// Parsing is memoised: the 1 MiB vector's JSON takes seconds to parse exactly.
const expected = (json: string): Frame => {
  let frame = parsed.get(json);
  if (!frame) {
    frame = fromFlatcJson(parseBigintJson(json)) as Frame;
    parsed.set(json, frame);
  }
  return frame;
};
let flatc: ReferenceFlatc;
beforeAll(async () => {
  flatc = await ReferenceFlatc.load();
});

describe('golden vectors', () => {
  it('cover every message, union member and error code', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(20);
    const frames = vectors.map((v) => expected(v.json));
    const requestTypes = new Set<string>();
    const responseTypes = new Set<string>();
    const codes = new Set<number>();
    const messageTypes = new Set<string>();
    for (const frame of frames) {
      const m = frame.message;
      messageTypes.add(m.type);
      if (m.type === 'Request') requestTypes.add(m.value.body.type);
      if (m.type === 'Response') {
        codes.add(m.value.code);
        if (m.value.body) responseTypes.add(m.value.body.type);
      }
    }
    expect([...messageTypes].sort()).toEqual(
      schemaDescriptor.unions.Message?.members.map((m) => m.name).sort(),
    );
    expect([...requestTypes].sort()).toEqual(Object.keys(RequestBodyTag).sort());
    expect([...responseTypes].sort()).toEqual(Object.keys(ResponseBodyTag).sort());
    expect([...codes].sort((a, b) => a - b)).toEqual(Object.values(ErrorCode));
  });

  it('committed vectors match their definitions (run `pnpm --filter @pluresdb-ipc/conformance generate`)', () => {
    const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    expect(vectors.map((v) => v.name)).toEqual(vectorDefinitions.map((d) => d.name).sort(byName));
    for (const definition of vectorDefinitions) {
      const file = vectors.find((v) => v.name === definition.name);
      expect(file?.json, definition.name).toBe(stringifyBigintJson(toFlatcJson(definition.frame)));
    }
  });

  it.each(vectors.map((v) => [v.name, v] as const))(
    "%s: our reader decodes flatc's bytes to the JSON's values",
    (_, v) => {
      expect(decodeFrame(v.binary)).toEqual(expected(v.json));
    },
  );

  it.each(vectors.map((v) => [v.name, v] as const))(
    "%s: our encoder writes flatc's exact bytes",
    (_, v) => {
      const ours = encodeFrame(new FrameBuilder(64), expected(v.json));
      expect(firstDifference(ours, v.binary)).toBe(-1);
    },
  );

  it.each(vectors.map((v) => [v.name, v] as const))(
    '%s: flatc reads our bytes back as the same JSON',
    (_, v) => {
      const ours = encodeFrame(new FrameBuilder(64), expected(v.json)).slice();
      expect(expected(flatc.toJson(ours))).toEqual(expected(v.json));
    },
  );

  it('one reused builder encodes every vector in turn, byte for byte', () => {
    const builder = new FrameBuilder(64);
    for (const v of vectors)
      expect(firstDifference(encodeFrame(builder, expected(v.json)), v.binary)).toBe(-1);
  });

  it('requests carry keys and values the server accepts, unless marked wire only', () => {
    // A third party replaying a vector against a server must not be refused for content the
    // spec forbids (spec/messages.md#keys, #values): the 1 MiB put once carried a JSON array.
    const accepted = (key: string, value: Uint8Array | undefined): boolean =>
      key !== '' && value !== undefined && isJsonObject(value);
    for (const definition of vectorDefinitions) {
      const message = definition.frame.message;
      if (message.type !== 'Request') continue;
      const body = message.value.body;
      const writes =
        body.type === 'Put' || body.type === 'Patch'
          ? [body.value]
          : body.type === 'Batch'
            ? body.value.ops.filter((op) => op.kind !== BatchOpKind.Delete)
            : [];
      const ok = writes.every((write) => accepted(write.key, write.value));
      expect(ok, `${definition.name}: ${definition.wireOnly ?? 'should be accepted'}`).toBe(
        definition.wireOnly === undefined,
      );
    }
  });

  it('the byte comparison catches a single wrong byte', () => {
    const v = vectors.find((x) => x.name === 'request-put') ?? vectors[0];
    if (!v) throw new Error('no vectors');
    const wrong = v.binary.slice();
    wrong[wrong.length - 3] = (wrong[wrong.length - 3] as number) ^ 1;
    expect(firstDifference(wrong, v.binary)).toBe(wrong.length - 3);
  });
});

function isJsonObject(bytes: Uint8Array): boolean {
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
