// `pluresdb-ipc watch --since SEQ` (docs/operations.md#change-log): first the logged changes
// after SEQ, then live ones, one JSON line each with its seq; a SEQ that is not a number is a
// usage error.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { runCli } from './fixtures/run-cli.ts';
import {
  cliScript,
  eventually,
  freshChannel,
  freshDataDir,
  startServer,
} from './fixtures/server-process.ts';

describe('watch --since', () => {
  it('replays the logged changes after the seq, then the live ones', async () => {
    const server = await startServer(freshChannel('since'), freshDataDir());
    const channel = ['--channel', server.channel];
    try {
      expect((await runCli(['put', 's/a', '{"v":1}', ...channel])).code).toBe(0);
      const stats = await runCli(['stats', ...channel]);
      const since = (JSON.parse(stats.stdout) as { seq: string }).seq;
      expect((await runCli(['put', 's/b', '{"v":2}', ...channel])).code).toBe(0);
      expect((await runCli(['del', 's/a', ...channel])).code).toBe(0);
      const watch = spawn(
        process.execPath,
        [cliScript, 'watch', 's/', '--since', since, ...channel],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const lines: { key: string; kind: string; seq: string }[] = [];
      createInterface({ input: watch.stdout }).on('line', (line) => {
        lines.push(JSON.parse(line) as { key: string; kind: string; seq: string });
      });
      const exited = new Promise<number | null>((resolve) => watch.once('close', resolve));
      await eventually(() => lines.length >= 2, 10_000);
      expect((await runCli(['put', 's/c', '{"v":3}', ...channel])).code).toBe(0);
      await eventually(() => lines.length >= 3, 10_000);
      watch.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(lines.map((line) => `${line.kind} ${line.key}`)).toEqual([
        'upsert s/b',
        'delete s/a',
        'upsert s/c',
      ]);
      expect(BigInt(lines[0]?.seq ?? '0')).toBeGreaterThan(BigInt(since));
      const bad = await runCli(['watch', '--since', 'yesterday', ...channel]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--since');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      rmSync(server.dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
