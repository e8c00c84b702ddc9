// Child-process entry of the HTTP baseline: `node dist/baselines/http-child.js <dataDir>`.
// Running the server in its own process, as the IPC server runs, keeps the benchmark fair:
// both sides pay a process boundary, neither shares an event loop with its client.
// Protocol with the parent: exactly one stdout line `READY <port>` once it serves; SIGTERM or
// SIGINT closes the server, then the store, then exits 0. Failures go to stderr, exit 1.
import process from 'node:process';
import { runBaselineChild } from './baseline-child.ts';
import { serveHttp } from './http-server.ts';

const dataDir = process.argv[2];
if (dataDir === undefined || dataDir === '') {
  process.stderr.write('usage: node dist/baselines/http-child.js <dataDir>\n');
  process.exit(2);
}

await runBaselineChild('http-child', dataDir, async (store) => {
  const server = await serveHttp(store);
  return { server, ready: String(server.port) };
});
