// A full server can still be inspected (issue #19, item 9): the server keeps one slot beyond
// --max-clients for operator clients (spec/transport.md#operator-slots), which the CLI's
// stats, ping, get and list use once every other slot is taken. In that slot a session may
// only read; everything else is refused with PermissionDenied.
import { connect, ErrorCode } from '@pluresdb-ipc/client-node';
import { describe, expect, it } from 'vitest';
import { runCli } from './fixtures/run-cli.ts';
import { codeOf, freshChannel, freshDataDir, startServer } from './fixtures/server-process.ts';

describe('the operator slot', () => {
  it('lets stats, ping, get and list reach a full server, and nothing else', async () => {
    const server = await startServer(freshChannel('operator'), freshDataDir(), [
      '--max-clients',
      '2',
    ]);
    const channel = server.channel;
    try {
      await fullServerChecks(channel);
      // A closed client's slot is freed by the server's next scan, not at once: wait until
      // only the asking (operator) client is counted, or an operator client would land in the
      // operator slot.
      for (let tries = 0; ; tries++) {
        const stats = await runCli(['stats', '--channel', channel]);
        if (stats.code === 0 && JSON.parse(stats.stdout).clients === 1) break;
        if (tries > 50) throw new Error(`slots never freed: ${stats.stdout}${stats.stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // With ordinary slots free, an operator client takes one of those, with no restriction.
      const roomy = await connect(channel, { operator: true });
      await roomy.put('y', { n: 4 });
      expect(await roomy.get('y')).toEqual({ n: 4 });
      await roomy.close();
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
  });
});

/** With both ordinary slots taken: what reaches the server, and what an operator may do. */
async function fullServerChecks(channel: string): Promise<void> {
  const first = await connect(channel);
  const second = await connect(channel);
  try {
    await first.put('k', { n: 1 });
    // Full for ordinary clients, the CLI's writes and watches included.
    expect(await codeOf(connect(channel))).toBe(ErrorCode.ServerFull);
    const put = await runCli(['put', 'x', '{"n":2}', '--channel', channel]);
    expect(put.code).toBe(1);
    expect(put.stderr).toMatch(/^pluresdb-ipc: ServerFull: all 2 client slots .* are in use\n$/);

    // The inspecting commands get in.
    const stats = await runCli(['stats', '--channel', channel]);
    expect(stats.stderr).toBe('');
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ clients: 3, records: '1' });
    expect((await runCli(['ping', '--channel', channel])).code).toBe(0);
    const get = await runCli(['get', 'k', '--channel', channel]);
    expect([get.code, JSON.parse(get.stdout)]).toEqual([0, { n: 1 }]);
    expect((await runCli(['list', '--channel', channel])).code).toBe(0);
    const count = await runCli(['count', '--channel', channel]);
    expect([count.code, JSON.parse(count.stdout)]).toEqual([0, { count: 1 }]);

    // An operator client in that slot may read, not write or watch.
    const operator = await connect(channel, { operator: true });
    try {
      expect(await operator.get('k')).toEqual({ n: 1 });
      expect((await operator.stats()).clients).toBe(3);
      expect(await operator.count()).toBe(1);
      for (const attempt of [
        operator.put('x', { n: 3 }),
        operator.delete('k'),
        operator.deleteRange({ prefix: 'k' }),
        operator.subscribe('', () => undefined),
      ]) {
        expect(await codeOf(attempt)).toBe(ErrorCode.PermissionDenied);
      }
      // One operator slot: the next operator finds the server full.
      const another = await connect(channel, { operator: true }).catch((e) => e);
      expect(another.code).toBe(ErrorCode.ServerFull);
      expect(another.message).toMatch(/\(and the operator slot\) are in use/);
    } finally {
      await operator.close();
    }
    expect(await first.get('x')).toBeUndefined();
  } finally {
    await first.close();
    await second.close();
  }
}
