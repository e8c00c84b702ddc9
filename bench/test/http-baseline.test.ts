// The HTTP baseline of the benchmark, run as the benchmark runs it: the built child process
// (dist/, so `pnpm test` builds first) serving a real store, driven by httpClient and the
// benchmark's workload driver. Kept to about a second: it checks the harness, not the numbers.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpClient, httpClient } from '../src/baselines/http-client.ts';
import { drive } from '../src/measure/workload.ts';

const childScript = fileURLToPath(new URL('../dist/baselines/http-child.js', import.meta.url));
const encoder = new TextEncoder();
const decoder = new TextDecoder();

let dataDir: string;
let child: ChildProcess;
let port: number;
let client: HttpClient;
let stderr = '';

// Resolves with the port of the child's `READY <port>` line, rejects if it exits first.
function waitReady(proc: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    if (proc.stdout === null) return reject(new Error('child has no stdout'));
    const lines = createInterface({ input: proc.stdout });
    lines.once('line', (line) => {
      const match = /^READY (\d+)$/.exec(line);
      if (match === null) reject(new Error(`unexpected first line: ${line}\n${stderr}`));
      else resolve(Number(match[1]));
    });
    proc.once('exit', (code) => reject(new Error(`child exited ${code} before READY\n${stderr}`)));
  });
}

function exitCode(proc: ChildProcess): Promise<number | string | null> {
  if (proc.exitCode !== null || proc.signalCode !== null) {
    return Promise.resolve(proc.exitCode ?? proc.signalCode);
  }
  return new Promise((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal)));
}

beforeAll(async () => {
  if (!existsSync(childScript)) {
    throw new Error(`${childScript} is missing: build first (tsc -p tsconfig.build.json)`);
  }
  dataDir = mkdtempSync(join(tmpdir(), 'pluresdb-http-'));
  child = spawn(process.execPath, [childScript, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  port = await waitReady(child);
  client = httpClient(port, 4);
});

afterAll(async () => {
  await client?.close();
  // Only reached with the child alive when a test failed before the SIGTERM test.
  if (child?.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (child !== undefined) await exitCode(child);
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

describe('HTTP keep-alive baseline', () => {
  it('puts and gets a document, keys URL-encoded', async () => {
    const doc = { name: 'Ada Lovelace', langs: ['en', 'fr'], age: 36 };
    const key = 'user/1 ü?#%';
    await client.put(key, encoder.encode(JSON.stringify(doc)));
    const bytes = await client.get(key);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(JSON.parse(decoder.decode(bytes))).toEqual(doc);
  });

  it('gives undefined for a missing key', async () => {
    expect(await client.get('no/such/key')).toBeUndefined();
  });

  it('lists records by prefix, in key order, at most limit', async () => {
    for (const n of [3, 1, 4, 0, 2]) {
      await client.put(`list/${n}`, encoder.encode(JSON.stringify({ n, tag: 'ü"\\' })));
    }
    await client.put('listed-not', encoder.encode('{"n":-1}'));
    const page = await client.list('list/', 3);
    expect(page).toEqual([0, 1, 2].map((n) => ({ key: `list/${n}`, value: { n, tag: 'ü"\\' } })));
    expect((await client.list('list/', 0)).map((item) => item.key)).toEqual(
      [0, 1, 2, 3, 4].map((n) => `list/${n}`),
    );
    expect(await client.list('no/such/prefix/', 10)).toEqual([]);
    const res = await request(`http://127.0.0.1:${port}/docs/?prefix=list%2F&limit=x`);
    expect(res.statusCode).toBe(400);
    expect(await res.body.json()).toMatchObject({ code: ErrorCode.InvalidArgument });
  });

  it('answers 400 to a body that is not a JSON object', async () => {
    const res = await request(`http://127.0.0.1:${port}/docs/bad`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '[1,2,3]',
    });
    expect(res.statusCode).toBe(400);
    expect(await res.body.json()).toMatchObject({ code: ErrorCode.InvalidArgument });
    const error = await client.put('bad', encoder.encode('"text"')).catch((e: unknown) => e);
    expect(IpcError.is(error) && error.code).toBe(ErrorCode.InvalidArgument);
  });

  it('is driven by the workload driver, one at a time and 16 in flight', async () => {
    const get = async () => {
      if ((await client.get('user/1 ü?#%')) === undefined) throw new Error('lost the document');
    };
    const rate = await drive(get, 16, 300);
    expect(rate.ops).toBeGreaterThan(0);
    expect(rate.histogram.count).toBe(rate.ops);
    const latency = await drive(get, 1, 200);
    expect(latency.ops).toBeGreaterThan(0);
    expect(latency.histogram.quantile(0.5)).toBeGreaterThan(0);
    expect(latency.histogram.quantile(0.5)).toBeLessThanOrEqual(latency.histogram.quantile(0.99));
  });

  it('exits 0 on SIGTERM', async () => {
    await client.close();
    child.kill('SIGTERM');
    expect(await exitCode(child), stderr).toBe(0);
  });
});
