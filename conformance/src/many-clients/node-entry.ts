// many-clients.ts in Node, with the app's own I/O timed: fs.readFile and dns.lookup go
// through the libuv pool that per-client waits used to fill.
import { lookup } from 'node:dns/promises';
import { readFile } from 'node:fs/promises';
import { connect, nodeLibc } from '@pluresdb-ipc/client-node';
import { manyClientsArgs, runManyClients } from './many-clients.ts';

async function timed(count: number, run: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return samples;
}

const report = await runManyClients(
  {
    connect: (channel) => connect(channel),
    libc: nodeLibc,
    appIo: async (count) => ({
      readFile: await timed(count, () => readFile('/etc/hostname')),
      dnsLookup: await timed(count, () => lookup('localhost')),
    }),
  },
  manyClientsArgs(process.argv.slice(2)),
);
console.log(JSON.stringify(report));
