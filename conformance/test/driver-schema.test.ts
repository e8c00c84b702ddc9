// The driver protocol's JSON Schema (driver-protocol.schema.json) against the drivers: the
// schema covers every operation our drivers implement, one of each command goes through every
// runtime's driver with both directions checked, and a driver answering in the wrong shape is
// caught. (The conformance suite checks every line it exchanges too; this test makes sure each
// operation is covered, whatever the scenarios happen to send.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCode } from '@pluresdb-ipc/protocol';
import { errorCodeName } from '@pluresdb-ipc/protocol/messages';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../src/harness/assertions.ts';
import { DriverClient } from '../src/harness/driver-client.ts';
import { driverOps } from '../src/harness/driver-ops.ts';
import { DRIVER_ERROR, FOREIGN_ERROR, type OpName } from '../src/harness/driver-protocol.ts';
import { DriverSchema, driverSchemaJson } from '../src/harness/driver-schema.ts';
import { digestOf, generatedDocument } from '../src/harness/generated-value.ts';
import { selectedRuntimes } from '../src/harness/runtime-files.ts';
import { startDriver } from '../src/harness/runtime-fixture.ts';
import { freshChannel, ServerHandle } from '../src/harness/server-control.ts';
import { vectorsDir } from '../src/paths.ts';
import { base64Of } from '../src/scenarios/text.ts';

const ops = Object.keys(driverOps).sort() as OpName[];
const defs = driverSchemaJson().$defs;

describe('the driver schema', () => {
  it('compiles in strict mode (every keyword known, every type checkable)', () => {
    const schema = new DriverSchema();
    for (const name of schema.definitions()) expect(() => schema.problem(name, null)).not.toThrow();
  });

  it('defines a command and an answer for exactly the operations the drivers implement', () => {
    const named = (prefix: string): string[] =>
      Object.keys(defs)
        .filter((name) => name.startsWith(prefix))
        .map((name) => name.slice(prefix.length))
        .sort();
    expect(named('command.')).toEqual(ops);
    expect(named('value.')).toEqual(ops);
    const line = defs.commandLine as { properties: { op: { enum: string[] } } };
    expect([...line.properties.op.enum].sort()).toEqual(ops);
  });

  it("lists every ErrorCode but Ok, and the driver's own two codes", () => {
    const error = defs.error as { properties: { code: { enum: string[] } } };
    const names = Object.values(ErrorCode)
      .filter((code) => code !== ErrorCode.Ok)
      .map((code) => errorCodeName(code));
    expect(error.properties.code.enum).toEqual([...names, DRIVER_ERROR, FOREIGN_ERROR]);
  });

  it('refuses a wrong field name, a wrong type and a missing field', () => {
    const schema = new DriverSchema();
    const stats = {
      records: '1',
      tombstones: '0',
      storeBytes: '4096',
      clients: 1,
      subscriptions: 0,
      requests: '9',
      uptimeMs: '12',
      serverVersion: '0.1.0',
    };
    const answer = (value: unknown): unknown => ({ id: 1, ok: true, value });
    expect(schema.answerProblem('stats', answer(stats))).toBeUndefined();
    const { storeBytes, ...withoutStoreBytes } = stats;
    expect(
      schema.answerProblem('stats', answer({ ...withoutStoreBytes, store_bytes: storeBytes })),
    ).toMatch(/storeBytes/);
    expect(schema.answerProblem('stats', answer({ ...stats, records: 1 }))).toMatch(
      /\/value\/records: must be string/,
    );
    expect(schema.answerProblem('getBytes', answer([1, 2]))).toBeDefined();
    expect(schema.answerProblem('ping', answer('not base64!'))).toBeDefined();
    // The call arguments are evaluated through a $ref: every one of them is accepted.
    for (const extra of [{ client: 'x', timeoutMs: 5, sync: true }, { abortBefore: true }]) {
      expect(schema.commandProblem({ id: 1, op: 'get', key: 'k', ...extra } as never)).toBe(
        undefined,
      );
    }
    expect(
      schema.commandProblem({ id: 1, op: 'get', key: 'k', sync: true, abortAfterMs: 1 } as never),
    ).toMatch(/abortAfterMs/);
    expect(schema.commandProblem({ id: 1, op: 'get', key: 'k', limit: 3 } as never)).toMatch(
      /"limit"/,
    );
    expect(
      schema.commandProblem({ id: 1, op: 'getRecord', key: 'k', sync: true } as never),
    ).toMatch(/"sync"/);
    expect(schema.eventProblem({ event: 1, change: { kind: 'upsert', key: 'k' } })).toMatch(/seq/);
  });
});

/** Where a test driver that answers in the wrong shapes lives. */
const wrongDriver = fileURLToPath(new URL('fixtures/wrong-shapes-driver.mjs', import.meta.url));

describe('the runner checks what a driver answers', () => {
  it('fails a command whose answer breaks the schema, naming the field', async () => {
    const driver = await DriverClient.start('wrong-shapes', {
      command: [process.execPath, wrongDriver],
      cwd: process.cwd(),
      env: process.env,
    });
    try {
      await expect(driver.call('info', {})).resolves.toEqual({
        ok: true,
        value: { runtime: 'wrong', version: '1' },
      });
      // stats in the schema's snake_case instead of camelCase.
      await expect(driver.call('stats', {})).rejects.toThrow(
        /answer to stats .*breaks the driver schema.*storeBytes/,
      );
      // A record whose clock is an object of counters instead of [{actor, counter}].
      await expect(driver.call('getRecord', { key: 'k' })).rejects.toThrow(
        /answer to getRecord .*\/value\/clock: must be array/,
      );
      // getBytes answering the bytes as an array of numbers instead of base64.
      await expect(driver.call('getBytes', { key: 'k' })).rejects.toThrow(
        /\/value: must be string/,
      );
      // An error code that is no ErrorCode name.
      await expect(driver.call('get', { key: 'k' })).rejects.toThrow(/\/error\/code/);
      // An event whose seq is a number: caught when the scenario ends.
      await driver.call('subscribe', { prefix: '' });
      await eventually(() => {
        try {
          driver.checkProtocol();
          return false;
        } catch (error) {
          expect(String(error)).toMatch(/\/change\/seq: must be string/);
          return true;
        }
      }, 'the bad event is reported');
    } finally {
      await driver.stop();
    }
  });
});

for (const runtime of selectedRuntimes()) {
  describe(`${runtime.name} driver`, () => {
    let server: ServerHandle | undefined;
    let driver: DriverClient | undefined;
    afterAll(async () => {
      await driver?.stop();
      await server?.dispose();
    }, 30_000);

    it('answers one of each command in the schema’s shapes', async () => {
      server = await ServerHandle.start(freshChannel(`schema-${runtime.name}`));
      const d = await startDriver(runtime, `${runtime.name}-schema`, server.channel);
      driver = d;
      // Every call below is checked against the schema in both directions by DriverClient.
      const seen = new Set<OpName>();
      const ok = async <K extends OpName>(op: K, args: Parameters<typeof d.ok<K>>[1]) => {
        seen.add(op);
        return d.ok(op, args);
      };
      seen.add('connect');
      await ok('info', {});
      const { handle } = await ok('subscribe', { prefix: 'schema/' });
      await ok('put', { key: 'schema/a', value: { name: 'Ada', n: 1 } });
      await ok('patch', { key: 'schema/a', bytes: base64Of('{"age":36}') });
      await ok('get', { key: 'schema/a' });
      await ok('getBytes', { key: 'schema/a' });
      const record = await ok('getRecord', { key: 'schema/a' });
      expect(record).not.toBeNull();
      if (record) await ok('merge', { record: { ...record, key: 'schema/copy' } });
      await ok('list', { prefix: 'schema/', limit: 1 });
      await ok('batch', {
        writes: [
          { kind: 'put', key: 'schema/b', value: { b: true } },
          { kind: 'delete', key: 'schema/copy' },
        ],
      });
      await ok('delete', { key: 'schema/b', ifHlc: '0' });
      await ok('count', { prefix: 'schema/', start: 'schema/a' });
      await ok('deleteRange', { prefix: 'schema/', start: 'schema/x', end: 'schema/y' });
      const exported = await ok('exportRecords', { prefix: 'schema/', pageSize: 2 });
      await ok('importRecords', { records: exported, maxInFlight: 2 });
      const backupParent = mkdtempSync(join(tmpdir(), 'pdbi-schema-backup-'));
      try {
        await ok('backup', { path: join(backupParent, 'copy') });
      } finally {
        rmSync(backupParent, { recursive: true, force: true });
      }
      await ok('stats', {});
      await ok('ping', { payload: base64Of('echo') });
      const digest = await ok('putGenerated', { key: 'schema/big', bytes: 4096, seed: 3 });
      expect(digest).toEqual(digestOf(generatedDocument(4096, 3)));
      await ok('digest', { key: 'schema/big' });
      await ok('loopGaps', { durationMs: 20 });
      const vectors = await ok('vectors', { dir: vectorsDir });
      expect(vectors.every((vector) => vector.decoded)).toBe(true);
      await eventually(() => d.changes(handle).length >= 4, 'the subscription’s changes');
      await ok('unsubscribe', { handle });
      // Failures: the client's code and the driver's own, and a subscription's end.
      expect((await d.fails('put', { key: '', value: { a: 1 } })).code).toBe('InvalidArgument');
      expect((await d.fails('list', { limit: -1 })).code).toBe('InvalidArgument');
      expect((await d.fails('getRecord', { key: 'k', client: 'nobody' })).code).toBe(DRIVER_ERROR);
      await d.ok('connect', { client: 'second', channel: server.channel, options: {} });
      const second = await d.ok('subscribe', { client: 'second', prefix: 'schema/' });
      await ok('close', { client: 'second' });
      expect((await d.fails('ping', { client: 'second' })).code).toBe('Closed');
      await eventually(
        () => d.ends(second.handle).length === 1,
        'the end of a closed subscription',
      );
      d.checkProtocol();
      expect([...seen].sort()).toEqual(ops);
    }, 60_000);
  });
}
