// The IPC target as a benchmark client process opens it, against a real server (the built CLI,
// so `pnpm test` builds first): every operation, getSync included, reaches the server.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ReadyChild, spawnReady } from '@pluresdb-ipc/server-node/child-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentOfSize } from '../src/client/documents.ts';
import { driveSync } from '../src/measure/workload.ts';
import { type IpcTarget, ipcTarget } from '../src/targets/ipc-target.ts';

const serverCli = createRequire(import.meta.url).resolve('@pluresdb-ipc/server-node/cli');
const channel = `bench-target-${process.pid}`;
let dir: string | undefined;
let server: ReadyChild | undefined;
let target: IpcTarget | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pdbi-bench-ipc-'));
  server = await spawnReady(
    serverCli,
    ['serve', '--channel', channel, '--data', join(dir, 'data')],
    'pluresdb-ipc ready',
  );
  target = await ipcTarget(channel);
});

afterAll(async () => {
  try {
    await target?.close();
  } finally {
    await server?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
});

describe('the IPC target', () => {
  it('puts, gets, gets blocking, lists and pings', async () => {
    const ipc = target as IpcTarget;
    const document = documentOfSize(100);
    const parsed = (bytes: unknown) => JSON.parse(new TextDecoder().decode(bytes as Uint8Array));
    await ipc.put('bench/doc-100', document);
    expect(parsed(await ipc.get('bench/doc-100'))).toEqual(parsed(document));
    expect(parsed(ipc.getSync?.('bench/doc-100'))).toEqual(parsed(document));
    expect(ipc.getSync?.('bench/missing')).toBeUndefined();
    expect(await ipc.list('bench/', 10)).toMatchObject({ items: [{ key: 'bench/doc-100' }] });
    await ipc.ping?.();
  });

  it('is measured by driveSync without a promise', () => {
    const ipc = target as IpcTarget;
    const getSync = ipc.getSync as (key: string) => unknown;
    const result = driveSync(() => {
      if (getSync('bench/doc-100') === undefined) throw new Error('lost the document');
    }, 50);
    expect(result.ops).toBeGreaterThan(0);
    expect(result.histogram.count).toBe(result.ops);
  });
});
