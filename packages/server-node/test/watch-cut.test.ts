// A watch the server cuts with Busy (its client stopped reading while others wrote) still
// delivers the events that had reached its ring, in order, before the error
// (spec/transport.md#the-client-watches-the-server). Before, `pluresdb-ipc watch` printed none.
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
  runFixture,
  startServer,
} from './fixtures/server-process.ts';

describe('a watch cut with Busy', () => {
  it('prints the events it had received, then the error', async () => {
    // A small server-wide bound, so that a little writing cuts the stopped watcher.
    const server = await startServer(freshChannel('cut'), freshDataDir(), [
      '--max-outbound-bytes',
      String(1 << 20),
    ]);
    // --no-resume: a resumed watch would reconnect and go on (see the next test).
    const watch = spawn(
      process.execPath,
      [cliScript, 'watch', 'w/', '--channel', server.channel, '--no-resume'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const keys: string[] = [];
      createInterface({ input: watch.stdout }).on('line', (line) => {
        keys.push((JSON.parse(line) as { key: string }).key);
      });
      let errors = '';
      watch.stderr.on('data', (chunk: Buffer) => {
        errors += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) => watch.once('close', resolve));
      // The first event shows the subscription is live.
      for (let attempt = 0; keys.length === 0 && attempt < 50; attempt++) {
        const put = await runCli(['put', 'w/first', '{"n":0}', '--channel', server.channel]);
        expect(put.code, put.stderr).toBe(0);
        await eventually(() => keys.length > 0, 2_000).catch(() => undefined);
      }
      expect(keys).toEqual(['w/first']);
      watch.kill('SIGSTOP');
      // 600 writes of 4 KB: the watcher's ring (256 KiB) fills, then its queue passes 1 MiB.
      const writer = await runFixture('./value-writer.ts', [
        server.channel,
        'w/',
        '600',
        '4000',
        '16',
      ]);
      expect(writer.code, writer.stderr).toBe(0);
      await eventually(() => server.stderr().includes('ended: Busy'), 10_000);
      watch.kill('SIGCONT');
      expect(await exited).toBe(1);
      const received = keys.slice(1);
      console.log(
        `watch cut with Busy: ${received.length} events printed before the error: ${errors.trim()}`,
      );
      expect(errors).toMatch(/Unavailable.*Busy/);
      // The events that had reached the ring, from the first write on, none missing.
      expect(received.length).toBeGreaterThanOrEqual(10);
      expect(received).toEqual(received.map((_, i) => `w/${i}`));
    } finally {
      watch.kill('SIGKILL');
      server.child.kill('SIGTERM');
      await server.exited;
      rmSync(server.dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('resumes after the cut, missing nothing and repeating nothing', async () => {
    const server = await startServer(freshChannel('cutresume'), freshDataDir(), [
      '--max-outbound-bytes',
      String(1 << 20),
    ]);
    const watch = spawn(process.execPath, [cliScript, 'watch', 'w/', '--channel', server.channel], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const lines: { key: string; seq: string }[] = [];
      createInterface({ input: watch.stdout }).on('line', (line) => {
        lines.push(JSON.parse(line) as { key: string; seq: string });
      });
      let errors = '';
      watch.stderr.on('data', (chunk: Buffer) => {
        errors += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) => watch.once('close', resolve));
      for (let attempt = 0; lines.length === 0 && attempt < 50; attempt++) {
        const put = await runCli(['put', 'w/first', '{"n":0}', '--channel', server.channel]);
        expect(put.code, put.stderr).toBe(0);
        await eventually(() => lines.length > 0, 2_000).catch(() => undefined);
      }
      watch.kill('SIGSTOP');
      const writer = await runFixture('./value-writer.ts', [
        server.channel,
        'w/',
        '600',
        '4000',
        '16',
      ]);
      expect(writer.code, writer.stderr).toBe(0);
      await eventually(() => server.stderr().includes('ended: Busy'), 10_000);
      watch.kill('SIGCONT');
      // It reconnects and replays the rest from the change log.
      await eventually(() => lines.length >= 601, 20_000);
      watch.kill('SIGINT');
      expect(await exited, errors).toBe(0);
      console.log(`watch cut with Busy, resumed: ${lines.length} events printed`);
      expect(lines.map((line) => line.key)).toEqual([
        'w/first',
        ...Array.from({ length: 600 }, (_, i) => `w/${i}`),
      ]);
      const seqs = lines.map((line) => BigInt(line.seq));
      for (let k = 1; k < seqs.length; k++)
        expect((seqs[k] as bigint) > (seqs[k - 1] as bigint)).toBe(true);
    } finally {
      watch.kill('SIGKILL');
      server.child.kill('SIGTERM');
      await server.exited;
      rmSync(server.dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
