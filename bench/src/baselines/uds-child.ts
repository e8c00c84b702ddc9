// Child-process entry of the Unix-socket baseline: `node dist/baselines/uds-child.js <dataDir>
// <socketPath>`, its own process over its own store, as the IPC and HTTP servers run.
// Protocol with the parent (the HTTP child's): exactly one stdout line `READY <socketPath>` once
// it serves; SIGTERM or SIGINT closes the server (which removes the socket file), then the
// store, then exits 0. Failures go to stderr, exit 1; a path that exists already is one.
import { rmSync } from 'node:fs';
import process from 'node:process';
import { runBaselineChild } from './baseline-child.ts';
import { serveUds } from './uds-server.ts';

const [dataDir, socketPath] = process.argv.slice(2);
if (dataDir === undefined || dataDir === '' || socketPath === undefined || socketPath === '') {
  process.stderr.write('usage: node dist/baselines/uds-child.js <dataDir> <socketPath>\n');
  process.exit(2);
}

let listening = false;
await runBaselineChild(
  'uds-child',
  dataDir,
  async (store) => {
    const server = await serveUds(store, socketPath);
    listening = true;
    return { server, ready: socketPath };
  },
  // The socket file is ours only once we listen on it.
  () => {
    if (listening) rmSync(socketPath, { force: true });
  },
);
