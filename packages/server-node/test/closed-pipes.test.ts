// A reader that goes away kills nothing (issue #19, item 3): a server whose stdout and stderr
// pipes are closed (`serve 2>&1 | head -1`) keeps serving when it logs, and stops cleanly;
// `list --all | head -3` and `watch | head -1` end quietly with exit code 0.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { connect } from '@pluresdb-ipc/client-node';
import { segmentName } from '@pluresdb-ipc/protocol/transport';
import { describe, expect, it } from 'vitest';
import {
  cliScript,
  eventually,
  freshChannel,
  freshDataDir,
  startServer,
} from './fixtures/server-process.ts';

const victim = fileURLToPath(new URL('./fixtures/crash-victim.ts', import.meta.url));

/** Reads `count` lines of the child's stdout, then closes the pipe as `head` does. */
function headOf(child: ChildProcess, count: number): Promise<string[]> {
  const lines: string[] = [];
  return new Promise((resolve) => {
    const reader = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    reader.on('line', (line) => {
      if (lines.length === count) return;
      lines.push(line);
      if (lines.length === count) {
        reader.close();
        child.stdout?.destroy();
        resolve(lines);
      }
    });
  });
}

function exitOf(child: ChildProcess): Promise<number | string> {
  return new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
}

function stderrOf(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return () => text;
}

describe('closed output pipes', () => {
  it('a server whose stdout and stderr readers left keeps serving through its log lines', async () => {
    const channel = freshChannel('epipe');
    const server = spawn(
      process.execPath,
      [cliScript, 'serve', '--channel', channel, '--data', freshDataDir()],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = exitOf(server);
    await headOf(server, 1);
    server.stderr?.destroy();
    // A client dies: the server logs it, into a pipe nobody reads any more (EPIPE).
    const crashing = spawn(process.execPath, ['--import', 'tsx', victim, channel, 'pipeline'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await headOf(crashing, 1);
    crashing.kill('SIGKILL');
    const client = await connect(channel);
    await eventually(async () => (await client.stats()).clients === 1);
    await client.put('still', { serving: true });
    expect(await client.get('still')).toEqual({ serving: true });
    await client.close();
    expect(server.exitCode).toBeNull();
    // Its stop logs too, and is clean: exit 0, no segment left behind.
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(`/dev/shm${segmentName(process.geteuid?.() ?? 0, channel)}`)).toBe(false);
  });

  it('list --all | head -3 exits 0 without a word', async () => {
    const server = await startServer(freshChannel('head'), freshDataDir());
    const client = await connect(server.channel);
    // More than a pipe holds (64 KiB), so the CLI is still writing when the reader leaves.
    const value = { text: 'x'.repeat(200) };
    for (let base = 0; base < 2000; base += 250) {
      await Promise.all(
        Array.from({ length: 250 }, (_, n) =>
          client.put(`k${String(base + n).padStart(5, '0')}`, value),
        ),
      );
    }
    const list = spawn(
      process.execPath,
      [cliScript, 'list', '--all', '--channel', server.channel],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const listErrors = stderrOf(list);
    const listExit = exitOf(list);
    const firstThree = await headOf(list, 3);
    expect(firstThree.map((line) => JSON.parse(line).key)).toEqual(['k00000', 'k00001', 'k00002']);
    expect(await listExit).toBe(0);
    expect(listErrors()).toBe('');
    await client.close();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('watch | head -1 exits 0 without a word', async () => {
    const server = await startServer(freshChannel('watch-head'), freshDataDir());
    const client = await connect(server.channel);
    const watch = spawn(process.execPath, [cliScript, 'watch', 'w/', '--channel', server.channel], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const watchErrors = stderrOf(watch);
    const watchExit = exitOf(watch);
    const firstEvent = headOf(watch, 1);
    // Write until the watcher has subscribed and printed one event; then it must notice the
    // closed pipe at its next event and end.
    let n = 0;
    const writer = setInterval(() => void client.put(`w/${n++}`, { n }).catch(() => undefined), 20);
    try {
      expect(JSON.parse((await firstEvent)[0] as string).key).toMatch(/^w\//);
      expect(await watchExit).toBe(0);
    } finally {
      clearInterval(writer);
    }
    expect(watchErrors()).toBe('');
    await client.close();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});
