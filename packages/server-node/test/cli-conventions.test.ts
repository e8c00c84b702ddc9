// The CLI's conventions (issue #19, item 10): --version and -v, help for each command, and a
// clear error (never a stack) for a document nested too deeply to encode.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './fixtures/run-cli.ts';
import { freshChannel, freshDataDir, startServer } from './fixtures/server-process.ts';

const version = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  .version as string;

const commands = [
  'serve',
  'get',
  'put',
  'patch',
  'del',
  'list',
  'count',
  'delete-range',
  'watch',
  'stats',
  'ping',
  'doctor',
];

describe('the CLI', () => {
  it.each(['--version', '-v'])('prints its version for %s', async (flag) => {
    const run = await runCli([flag]);
    expect(run).toEqual({ code: 0, stdout: `pluresdb-ipc ${version}\n`, stderr: '' });
  });

  it.each(commands)(
    'prints the help of "%s" for --help and for help <command>',
    async (command) => {
      const flag = await runCli([command, '--help']);
      expect(flag.code).toBe(0);
      expect(flag.stderr).toBe('');
      expect(flag.stdout).toMatch(new RegExp(`^Usage: pluresdb-ipc ${command}\\b`));
      const topic = await runCli(['help', command]);
      expect(topic).toEqual(flag);
    },
  );

  it('has no bench command: the benchmark is the bench/ package (pnpm bench)', async () => {
    const run = await runCli(['bench']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command "bench"/);
    expect((await runCli(['help'])).stdout).not.toMatch(/bench/);
  });

  it('refuses help on an unknown command as a usage error', async () => {
    const run = await runCli(['help', 'frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it('answers a document nested 10,000 levels deep with TooLarge, not a stack', async () => {
    const server = await startServer(freshChannel('deep'), freshDataDir());
    try {
      const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
      for (const command of ['put', 'patch']) {
        const run = await runCli([command, 'k', deep, '--channel', server.channel]);
        expect(run.code).toBe(1);
        expect(run.stderr).toBe(
          'pluresdb-ipc: TooLarge: the document is nested too deeply to encode (the server takes 512 levels)\n',
        );
      }
      // Just past the server's limit, the server's own answer.
      const over = `${'{"a":'.repeat(600)}1${'}'.repeat(600)}`;
      const run = await runCli(['put', 'k', over, '--channel', server.channel]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^pluresdb-ipc: TooLarge: .*nested deeper than 512 levels\n$/);
      expect((await runCli(['get', 'k', '--channel', server.channel])).code).toBe(3);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
