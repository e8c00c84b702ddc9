// Child-process entry of the HTTP baseline: `node dist/bench/http-child.js <dataDir>`.
// Running the server in its own process, as the IPC server runs, keeps the benchmark fair:
// both sides pay a process boundary, neither shares an event loop with its client.
// Protocol with the parent: exactly one stdout line `READY <port>` once it serves; SIGTERM or
// SIGINT closes the server, then the store, then exits 0. Failures go to stderr, exit 1.
import process from 'node:process';
import { openStore } from '@pluresdb-ipc/store';
import { serveHttp } from './http-server.ts';

const dataDir = process.argv[2];
if (dataDir === undefined || dataDir === '') {
  process.stderr.write('usage: node dist/bench/http-child.js <dataDir>\n');
  process.exit(2);
}

try {
  const store = await openStore({ path: dataDir, durability: 'process' });
  const server = await serveHttp(store);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    try {
      // Server first: no request may reach a closed store.
      await server.close();
      await store.close();
      process.exit(0);
    } catch (error) {
      die(error);
    }
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`READY ${server.port}\n`);
} catch (error) {
  die(error);
}

function die(error: unknown): never {
  process.stderr.write(`http-child: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
}
