// `pnpm demo`: the main job end to end. Starts the server as a child process (as an app
// would), then a client puts, gets, lists and watches, printing what it did with round-trip
// times, and finally stops the server cleanly.
import { fileURLToPath } from 'node:url';
import { connect } from '@pluresdb-ipc/client-node';
import { now } from '@pluresdb-ipc/protocol/transport';
import { spawnReady } from './child-server.ts';
import { defaultDataDir } from './server-options.ts';

// Tests run it on a channel of their own (test/electron-cage.test.ts).
const channel = process.env.PLURESDB_IPC_DEMO_CHANNEL || 'demo';
const cli = fileURLToPath(new URL('./cli/main.js', import.meta.url));

async function timed<T>(label: string, action: () => Promise<T>): Promise<T> {
  const started = now();
  const result = await action();
  const micros = (now() - started) * 1000;
  console.log(`  ${label.padEnd(44)} ${micros.toFixed(1).padStart(8)} µs`);
  return result;
}

async function main(): Promise<void> {
  const dataDir = defaultDataDir(channel);
  console.log(`Starting the server: pluresdb-ipc serve --channel ${channel} --data ${dataDir}`);
  const server = await spawnReady(
    cli,
    ['serve', '--channel', channel, '--data', dataDir],
    'pluresdb-ipc ready',
  );
  console.log(`  ${server.readyLine}`);
  const client = await connect(channel, { clientName: 'demo' });
  try {
    console.log('Connected through shared memory (no socket, no port).');
    const changes: string[] = [];
    const watcher = (async () => {
      for await (const change of client.watch('people/')) {
        changes.push(`${change.kind} ${change.key} (seq ${change.seq})`);
        if (changes.length === 3) break;
      }
    })();
    await timed('ping (first round trip, cold)', () => client.ping());
    await timed('ping (warm)', () => client.ping());
    await timed('put people/ada', () =>
      client.put('people/ada', { name: 'Ada Lovelace', born: 1815 }),
    );
    await timed('put people/grace', () =>
      client.put('people/grace', { name: 'Grace Hopper', born: 1906 }),
    );
    await timed('patch people/ada {"field":"mathematics"}', () =>
      client.patch('people/ada', { field: 'mathematics' }),
    );
    const ada = await timed('get people/ada', () => client.get('people/ada'));
    console.log(`    → ${JSON.stringify(ada)}`);
    const page = await timed('list prefix people/', () => client.list({ prefix: 'people/' }));
    for (const item of page.items) console.log(`    → ${item.key}: ${JSON.stringify(item.value)}`);
    const started = now();
    const rounds = 10_000;
    for (let i = 0; i < rounds; i++) await client.get('people/ada');
    console.log(
      `  ${'10,000 sequential gets, average'.padEnd(44)} ${(((now() - started) * 1000) / rounds).toFixed(1).padStart(8)} µs`,
    );
    await watcher;
    console.log('The watcher saw:');
    for (const change of changes) console.log(`    → ${change}`);
    const stats = await client.stats();
    console.log(
      `Server stats: ${stats.records} records, ${stats.requests} requests served, ${stats.clients} client(s).`,
    );
  } finally {
    await client.close();
    const code = await server.stop();
    console.log(`Server stopped (exit code ${code}); its shared memory is removed.`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
