// Bad input is refused with a typed error and changes nothing (spec/crdt.md#values, #keys).
import { ErrorCode } from '@pluresdb-ipc/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_KEY_BYTES, openStore, packHlc, type Store } from '../src/index.ts';
import { expectIpcError, removeTempDirs, tempDir, utf8 } from './helpers.ts';

let store: Store;

beforeAll(async () => {
  store = await openStore({ path: tempDir('bad'), maxValueBytes: 1000 });
  await store.put('existing', { keep: true });
});

afterAll(async () => {
  await store.close();
  removeTempDirs();
});

function state(): unknown {
  return {
    page: store.listJson({ limit: 1000 }),
    existing: store.getRecordJson('existing'),
    seq: store.stats().seq,
  };
}

async function refused(run: () => unknown, code: ErrorCode): Promise<void> {
  const before = state();
  await expectIpcError(run, code);
  expect(state()).toEqual(before);
}

const cyclic: Record<string, unknown> = { a: { b: {} } };
(cyclic.a as { b: Record<string, unknown> }).b.back = cyclic;
const cyclicArray: unknown[] = [1];
cyclicArray.push(cyclicArray);
let deep: unknown = 1;
for (let i = 0; i < 600; i++) deep = [deep];

describe('bad data', () => {
  const cases: [string, unknown, ErrorCode][] = [
    ['null', null, ErrorCode.InvalidArgument],
    ['an array', [1, 2], ErrorCode.InvalidArgument],
    ['a string', 'text', ErrorCode.InvalidArgument],
    ['a number', 42, ErrorCode.InvalidArgument],
    ['a Date', new Date(0), ErrorCode.InvalidArgument],
    ['a Map', new Map([['a', 1]]), ErrorCode.InvalidArgument],
    ['a cyclic object', cyclic, ErrorCode.InvalidArgument],
    ['a cyclic array', { list: cyclicArray }, ErrorCode.InvalidArgument],
    ['an undefined field', { a: undefined }, ErrorCode.InvalidArgument],
    ['a nested undefined', { a: { b: [1, undefined] } }, ErrorCode.InvalidArgument],
    // biome-ignore lint/suspicious/noSparseArray: a hole is exactly what is being tested
    ['an array hole', { a: [1, , 3] }, ErrorCode.InvalidArgument],
    ['a function', { f: () => 1 }, ErrorCode.InvalidArgument],
    ['a symbol', { s: Symbol('s') }, ErrorCode.InvalidArgument],
    ['a bigint', { n: 1n }, ErrorCode.InvalidArgument],
    ['NaN', { n: Number.NaN }, ErrorCode.InvalidArgument],
    ['Infinity', { n: Number.POSITIVE_INFINITY }, ErrorCode.InvalidArgument],
    ['a class instance', { d: new (class Point {})() }, ErrorCode.InvalidArgument],
    ['a lone surrogate field name', { '\uD800': 1 }, ErrorCode.InvalidArgument],
    ['nesting 600 deep', { deep }, ErrorCode.TooLarge],
    ['data over maxValueBytes', { big: 'x'.repeat(2000) }, ErrorCode.TooLarge],
  ];
  for (const [name, data, code] of cases) {
    it(`put and patch refuse ${name}`, async () => {
      await refused(() => store.put('existing', data as never), code);
      await refused(() => store.patch('fresh', data as never), code);
      await refused(() => store.batch([{ kind: 'put', id: 'fresh', data: data as never }]), code);
    });
  }

  const jsonCases: [string, unknown, ErrorCode][] = [
    [
      'invalid UTF-8',
      new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]),
      ErrorCode.InvalidArgument,
    ],
    ['not JSON', utf8('{"a":1,}'), ErrorCode.InvalidArgument],
    ['empty bytes', new Uint8Array(), ErrorCode.InvalidArgument],
    ['a JSON array', utf8('[1]'), ErrorCode.InvalidArgument],
    ['JSON null', utf8('null'), ErrorCode.InvalidArgument],
    ['a JSON string', utf8('"x"'), ErrorCode.InvalidArgument],
    ['an escaped lone surrogate name', utf8('{"\\ud800":1}'), ErrorCode.InvalidArgument],
    ['a string instead of bytes', '{"a":1}', ErrorCode.InvalidArgument],
    ['data over maxValueBytes', utf8(`{"big":"${'x'.repeat(2000)}"}`), ErrorCode.TooLarge],
  ];
  for (const [name, json, code] of jsonCases) {
    it(`putJson and patchJson refuse ${name}`, async () => {
      await refused(() => store.putJson('existing', json as Uint8Array), code);
      await refused(() => store.patchJson('fresh', json as Uint8Array), code);
    });
  }
});

describe('bad keys', () => {
  const cases: [string, unknown, ErrorCode][] = [
    ['an empty key', '', ErrorCode.InvalidArgument],
    ['a key one byte too long', 'k'.repeat(MAX_KEY_BYTES + 1), ErrorCode.TooLarge],
    ['a key too long in UTF-8 only', '😀'.repeat(MAX_KEY_BYTES / 4 + 1), ErrorCode.TooLarge],
    ['a lone high surrogate', 'a\uD800', ErrorCode.InvalidArgument],
    ['a lone low surrogate', '\uDC00b', ErrorCode.InvalidArgument],
    ['a reversed pair', '\uDE00\uD83D', ErrorCode.InvalidArgument],
    ['a number', 42, ErrorCode.InvalidArgument],
    ['undefined', undefined, ErrorCode.InvalidArgument],
  ];
  for (const [name, id, code] of cases) {
    it(`every call refuses ${name}`, async () => {
      const key = id as string;
      await refused(() => store.put(key, {}), code);
      await refused(() => store.putJson(key, utf8('{}')), code);
      await refused(() => store.patch(key, {}), code);
      await refused(() => store.delete(key), code);
      await refused(() => store.get(key), code);
      await refused(() => store.getJson(key), code);
      await refused(() => store.getRecord(key), code);
      await refused(
        () =>
          store.batch([
            { kind: 'put', id: 'ok', data: {} },
            { kind: 'delete', id: key },
          ]),
        code,
      );
    });
  }

  it('accepts a key of exactly the maximum size', async () => {
    const id = `${'é'.repeat(MAX_KEY_BYTES / 2 - 1)}ab`;
    await store.put(id, { ok: 1 });
    expect(store.get(id)).toEqual({ ok: 1 });
    await store.delete(id);
  });

  it('list and subscribe check their arguments', async () => {
    await refused(() => store.list({ prefix: '\uD800' }), ErrorCode.InvalidArgument);
    await refused(() => store.list({ after: '\uDC00' }), ErrorCode.InvalidArgument);
    await refused(() => store.list({ limit: -1 }), ErrorCode.InvalidArgument);
    await refused(() => store.list({ limit: 1.5 }), ErrorCode.InvalidArgument);
    await refused(() => store.subscribe({ prefix: '\uDFFF' }, () => {}), ErrorCode.InvalidArgument);
    await refused(() => store.subscribe({}, 'nope' as never), ErrorCode.InvalidArgument);
  });
});

describe('bad records to merge', () => {
  const now = packHlc(Date.now(), 0);
  const good = { key: 'm', hlc: now, actor: 'r', deleted: false, deletedHlc: 0n, fields: [] };
  const cases: [string, object, ErrorCode][] = [
    ['hlc 0', { ...good, hlc: 0n }, ErrorCode.InvalidArgument],
    ['a negative hlc', { ...good, hlc: -1n }, ErrorCode.InvalidArgument],
    ['an hlc above u64', { ...good, hlc: 1n << 64n }, ErrorCode.InvalidArgument],
    ['a number hlc', { ...good, hlc: 5 }, ErrorCode.InvalidArgument],
    ['no actor', { ...good, actor: undefined }, ErrorCode.InvalidArgument],
    ['a delete without actor', { ...good, deletedHlc: now }, ErrorCode.InvalidArgument],
    ['an empty key', { ...good, key: '' }, ErrorCode.InvalidArgument],
    [
      'a field value that is not JSON',
      { ...good, fields: [{ name: 'a', value: utf8('{'), hlc: now, actor: 'r' }] },
      ErrorCode.InvalidArgument,
    ],
    [
      'a field with a zero stamp',
      { ...good, fields: [{ name: 'a', value: utf8('1'), hlc: 0n, actor: 'r' }] },
      ErrorCode.InvalidArgument,
    ],
    [
      'a clock counter that is not a bigint',
      { ...good, clock: [{ actor: 'r', counter: 1 }] },
      ErrorCode.InvalidArgument,
    ],
  ];
  for (const [name, record, code] of cases) {
    it(`mergeJson refuses ${name}`, async () => {
      await refused(() => store.mergeJson(record as never), code);
    });
  }
});

describe('bad options', () => {
  it('openStore refuses bad options without creating anything', async () => {
    await expectIpcError(() => openStore({ path: '' }), ErrorCode.InvalidArgument);
    await expectIpcError(
      () => openStore({ path: tempDir(), actor: '' }),
      ErrorCode.InvalidArgument,
    );
    await expectIpcError(
      () => openStore({ path: tempDir(), durability: 'never' as never }),
      ErrorCode.InvalidArgument,
    );
    await expectIpcError(
      () => openStore({ path: tempDir(), maxValueBytes: -1 }),
      ErrorCode.InvalidArgument,
    );
    await expectIpcError(
      () => openStore({ path: tempDir(), writemap: 'yes' as never }),
      ErrorCode.InvalidArgument,
    );
    await expectIpcError(
      () => openStore({ path: tempDir(), durability: 'fsync', writemap: true }),
      ErrorCode.InvalidArgument,
    );
  });
});
