// Data out and in through a real server: export (List with_records) and the CLI's NDJSON, import
// (= merge) into another server, and backup while serving (spec/crdt.md#export-format,
// #backup). PLURESDB_LONG_TESTS=1 moves 1,000,000 records through the CLI and prints the peak
// memory of export and import.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, ErrorCode, type IpcClient } from '@pluresdb-ipc/client-node';
import type { Record as WireRecord } from '@pluresdb-ipc/protocol/messages';
import { openStore } from '@pluresdb-ipc/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './fixtures/run-cli.ts';
import {
  cliScript,
  collectRun,
  eventually,
  freshChannel,
  freshDataDir,
  type ServerProcess,
  startServer,
} from './fixtures/server-process.ts';

const long = process.env.PLURESDB_LONG_TESTS === '1';
const servers: ServerProcess[] = [];
const clients: IpcClient[] = [];
const dirs: string[] = [];

async function serve(label: string): Promise<{ server: ServerProcess; client: IpcClient }> {
  const dataDir = freshDataDir();
  dirs.push(dataDir);
  const server = await startServer(freshChannel(label), dataDir);
  servers.push(server);
  const client = await connect(server.channel, { clientName: `data ${label}` });
  clients.push(client);
  return { server, client };
}

async function all(client: IpcClient): Promise<WireRecord[]> {
  const out: WireRecord[] = [];
  for await (const record of client.exportRecords({ pageSize: 7 })) out.push(record);
  return out;
}

// `pluresdb-ipc args...` with stdin from `input` (a file), to completion; samples its peak RSS.
async function cliWithInput(
  args: readonly string[],
  input: string | undefined,
  timeoutMs = 60_000,
) {
  const stdin = input === undefined ? 'ignore' : openSync(input, 'r');
  const child = spawn(process.execPath, [cliScript, ...args], { stdio: [stdin, 'pipe', 'pipe'] });
  if (typeof stdin === 'number') closeSync(stdin);
  let peakKb = 0;
  const sampler = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const hwm = /VmHWM:\s+(\d+)/.exec(status);
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
    } catch {
      // Gone already.
    }
  }, 50);
  const run = await collectRun(child, timeoutMs);
  clearInterval(sampler);
  return { ...run, peakMb: Math.round(peakKb / 1024) };
}

// Records with their byte arrays as text: the store's are Buffers, the client's Uint8Arrays.
function plain(records: readonly WireRecord[]): unknown {
  return JSON.parse(
    JSON.stringify(records, (_key, value: unknown) => {
      if (typeof value === 'bigint') return value.toString();
      if (value instanceof Uint8Array) return new TextDecoder().decode(value);
      if (typeof value === 'object' && value !== null && Reflect.get(value, 'type') === 'Buffer')
        return new TextDecoder().decode(Uint8Array.from(Reflect.get(value, 'data') as number[]));
      return value;
    }),
  );
}

let a: { server: ServerProcess; client: IpcClient };
let b: { server: ServerProcess; client: IpcClient };

beforeAll(async () => {
  a = await serve('export');
  b = await serve('import');
});

afterAll(async () => {
  for (const client of clients) await client.close();
  for (const server of servers) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('export, import, backup', () => {
  it('exports every record with its metadata, tombstones included, and merges it elsewhere', async () => {
    const { client } = a;
    for (let i = 0; i < 30; i++) await client.put(`doc/${String(i).padStart(2, '0')}`, { i });
    await client.patch('doc/03', { extra: [1, { deep: true }] });
    for (let i = 10; i < 15; i++) await client.delete(`doc/${i}`);
    // Bytes kept as sent: a number beyond a double's precision, whitespace across lines.
    await client.put(
      'doc/raw',
      new TextEncoder().encode('{"big": 12345678901234567890,\n "s":"a\\nb"}'),
    );
    const records = await all(client);
    expect(records.length).toBe(31);
    expect(records.filter((r) => r.deleted).length).toBe(5);
    for (const record of records) {
      expect(record).toEqual(
        record.deleted
          ? expect.objectContaining({ deleted: true })
          : await client.getRecord(record.key),
      );
    }
    const live = [];
    for await (const record of client.exportRecords({ includeDeleted: false })) live.push(record);
    expect(live.length).toBe(26);
    const summary = await b.client.importRecords(records);
    expect(summary).toEqual({ read: 31, merged: 31, unchanged: 0, failed: 0 });
    expect(await all(b.client)).toEqual(records);
    expect(await b.client.importRecords(records)).toEqual({
      read: 31,
      merged: 0,
      unchanged: 31,
      failed: 0,
    });
  });

  it('round-trips through the CLI as NDJSON, numbers to the last digit', async () => {
    const out = join(dirs[0] as string, '..', `export-${process.pid}.ndjson`);
    const exported = await cliWithInput(['export', '--channel', a.server.channel], undefined);
    expect(exported.code, exported.stderr).toBe(0);
    writeFileSync(out, exported.stdout);
    const lines = exported.stdout.trimEnd().split('\n');
    expect(lines.length).toBe(31);
    expect(JSON.parse(exported.stderr.trim().split('\n').at(-1) as string)).toEqual({
      exported: 31,
      tombstones: 5,
    });
    const raw = lines.find((line) => line.includes('"doc/raw"')) as string;
    expect(raw).toContain('"value":12345678901234567890');
    expect(raw).toContain('"data":{"big":12345678901234567890,"s":"a\\nb"}');
    const first = JSON.parse(lines[0] as string);
    expect(first).toMatchObject({ key: 'doc/00', deleted: false, data: { i: 0 } });
    expect(typeof first.hlc).toBe('string');
    // Into a third, empty server.
    const c = await serve('cli-import');
    const imported = await cliWithInput(['import', '--channel', c.server.channel], out);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toEqual({ read: 31, merged: 31, unchanged: 0, failed: 0 });
    expect(await all(c.client)).toEqual(await all(a.client));
    expect(new TextDecoder().decode(await c.client.getBytes('doc/raw'))).toBe(
      '{"big":12345678901234567890,"s":"a\\nb"}',
    );
    rmSync(out, { force: true });
  });

  it('names each bad line, counts it and goes on', async () => {
    const good = (await all(a.client))[0] as WireRecord;
    const goodLine = (
      await cliWithInput(['export', '--channel', a.server.channel, '--prefix', good.key], undefined)
    ).stdout.trim();
    const file = join(dirs[0] as string, '..', `bad-${process.pid}.ndjson`);
    writeFileSync(
      file,
      [
        goodLine,
        'not json',
        '',
        '{"key":"x","actor":"a"}',
        '{"key":"y","hlc":-1,"actor":"a"}',
        '[1,2]',
        goodLine.replace(/"hlc":"\d+"/, '"hlc":"99999999999999999999"'),
        goodLine.replace(good.key, 'copy/of/good'),
      ].join('\n'),
    );
    const d = await serve('bad-lines');
    const run = await cliWithInput(['import', '--channel', d.server.channel], file);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({ read: 7, merged: 2, unchanged: 0, failed: 5 });
    for (const line of [2, 4, 5, 6, 7]) expect(run.stderr).toContain(`line ${line}:`);
    expect(run.stderr).toContain('line 2: InvalidArgument: not JSON');
    expect(await d.client.get('copy/of/good')).toEqual(await a.client.get(good.key));
    rmSync(file, { force: true });
  });

  it('backs up while serving; the copy opens with the same records', async () => {
    const target = join(freshDataDir(), 'backup');
    dirs.push(join(target, '..'));
    const run = await runCli(['backup', target, '--channel', a.server.channel]);
    expect(run.code, run.stderr).toBe(0);
    const answer = JSON.parse(run.stdout);
    expect(answer.path).toBe(join(target, 'data.mdb'));
    expect(Number(answer.bytes)).toBeGreaterThan(0);
    const copy = await openStore({ path: target });
    try {
      const inCopy = copy.listRecords({ includeDeleted: true, limit: 1000 }).records;
      expect(plain(inCopy)).toEqual(plain(await all(a.client)));
    } finally {
      await copy.close();
    }
    // Not into a directory that holds something.
    const again = await runCli(['backup', target, '--channel', a.server.channel]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('InvalidArgument');
    await expect(a.client.backup(target)).rejects.toMatchObject({
      code: ErrorCode.InvalidArgument,
    });
    const stats = await a.client.stats();
    // Absent on the wire when 0 (a v2 field's default).
    expect(stats.tombstonesPurged ?? 0n).toBe(0n);
    expect(stats.tombstones).toBe(5n);
  });

  it('exports records too big for one page by asking for smaller pages', async () => {
    const dataDir = freshDataDir();
    dirs.push(dataDir);
    // Frames of at most 2 × 64 KiB + 1 MiB: a page of 30 records of 60 KB (each carried twice,
    // as data and as its field's value) does not fit one.
    const server = await startServer(freshChannel('big-pages'), dataDir, [
      '--max-value-bytes',
      '65536',
    ]);
    servers.push(server);
    const client = await connect(server.channel);
    clients.push(client);
    for (let i = 0; i < 30; i++) await client.put(`big/${i}`, { pad: 'x'.repeat(60_000) });
    const keys: string[] = [];
    for await (const record of client.exportRecords({ pageSize: 30 })) keys.push(record.key);
    expect(keys.length).toBe(30);
    expect(new Set(keys).size).toBe(30);
  });

  it('purges tombstones past --tombstone-horizon-ms and counts them in stats', async () => {
    const dataDir = freshDataDir();
    dirs.push(dataDir);
    const server = await startServer(freshChannel('gc'), dataDir, ['--tombstone-horizon-ms', '1']);
    servers.push(server);
    const client = await connect(server.channel);
    clients.push(client);
    for (let i = 0; i < 10; i++) await client.put(`gone/${i}`, { i });
    for (let i = 0; i < 10; i++) await client.delete(`gone/${i}`);
    await client.put('kept', {});
    await eventually(async () => (await client.stats()).tombstonesPurged === 10n, 10_000);
    const stats = await client.stats();
    expect(stats.tombstones ?? 0n).toBe(0n);
    expect(stats.records).toBe(1n);
  });

  it.runIf(long)(
    'moves 1,000,000 records through export and import with bounded memory',
    { timeout: 1_800_000 },
    async () => {
      const source = await serve('million');
      const count = 1_000_000;
      for (let i = 0; i < count; i += 1000) {
        await source.client.batch(
          Array.from({ length: 1000 }, (_, k) => ({
            kind: 'put' as const,
            key: `m/${String(i + k).padStart(7, '0')}`,
            value: { n: i + k, pad: 'x'.repeat(64) },
          })),
        );
      }
      const file = join(dirs[0] as string, '..', `million-${process.pid}.ndjson`);
      const fd = openSync(file, 'w');
      const child = spawn(
        process.execPath,
        [cliScript, 'export', '--channel', source.server.channel],
        {
          stdio: ['ignore', fd, 'pipe'],
        },
      );
      closeSync(fd);
      let peakKb = 0;
      const sampler = setInterval(() => {
        try {
          const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
        } catch {}
      }, 50);
      const exported = await collectRun(child, 1_200_000);
      clearInterval(sampler);
      expect(exported.code, exported.stderr).toBe(0);
      const target = await serve('million-import');
      const imported = await cliWithInput(
        ['import', '--channel', target.server.channel],
        file,
        1_200_000,
      );
      expect(imported.code, imported.stderr).toBe(0);
      expect(JSON.parse(imported.stdout)).toMatchObject({ read: count, merged: count, failed: 0 });
      console.log(
        `1M records: export peak RSS ${Math.round(peakKb / 1024)} MB, import peak RSS ${imported.peakMb} MB`,
      );
      expect(Math.round(peakKb / 1024)).toBeLessThan(400);
      expect(imported.peakMb).toBeLessThan(400);
      rmSync(file, { force: true });
    },
  );
});
