// The CLI's range, count, condition and delete-range flags against a real server.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './fixtures/run-cli.ts';
import {
  freshChannel,
  freshDataDir,
  type ServerProcess,
  startServer,
} from './fixtures/server-process.ts';

let server: ServerProcess;
const cli = (...args: string[]) => runCli([...args, '--channel', server.channel]);

beforeAll(async () => {
  server = await startServer(freshChannel('cli-queries'), freshDataDir());
});

afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  rmSync(server.dataDir, { recursive: true, force: true });
});

describe('CLI queries and conditional writes', () => {
  it('puts with --if-absent and --if-hlc, failing with Conflict', async () => {
    const first = await cli('put', 'k/1', '{"v":1}', '--if-absent');
    expect(first.code).toBe(0);
    const { hlc } = JSON.parse(first.stdout) as { hlc: string };
    const again = await cli('put', 'k/1', '{"v":2}', '--if-absent');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/Conflict.*expected no live record/);
    expect((await cli('patch', 'k/1', '{"w":1}', '--if-hlc', '1')).stderr).toMatch(/Conflict/);
    expect((await cli('patch', 'k/1', '{"w":1}', '--if-hlc', String(hlc))).code).toBe(0);
    expect((await cli('del', 'k/1', '--if-hlc', 'x')).code).toBe(2);
    expect(JSON.parse((await cli('get', 'k/1')).stdout)).toEqual({ v: 1, w: 1 });
  });

  it('lists ranges, counts, and deletes a range (never an empty one without --all)', async () => {
    for (const key of ['r/a', 'r/b', 'r/c', 'r/d', 's/a']) await cli('put', key, '{}');
    const page = await cli('list', '--prefix', 'r/', '--start', 'r/b', '--end', 'r/d', '--reverse');
    expect(JSON.parse(page.stdout).items.map((item: { key: string }) => item.key)).toEqual([
      'r/c',
      'r/b',
    ]);
    expect(JSON.parse((await cli('count', 'r/')).stdout)).toEqual({ count: 4 });
    expect(JSON.parse((await cli('count', '--start', 'r/c')).stdout)).toEqual({ count: 3 });
    const refused = await cli('delete-range');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--all deletes every record/);
    const deleted = await cli('delete-range', 'r/', '--end', 'r/c');
    expect(JSON.parse(deleted.stdout).count).toBe(2);
    expect(JSON.parse((await cli('count', 'r/')).stdout)).toEqual({ count: 2 });
    const all = await cli('delete-range', '--all');
    expect(all.code).toBe(0);
    expect(JSON.parse((await cli('count')).stdout)).toEqual({ count: 0 });
  });
});
