// Child-process entry of the Unix-socket baseline: `node dist/baselines/uds-child.js <dataDir>
// <socketPath>`, its own process over its own store, as the IPC and HTTP servers run.
// Protocol with the parent (the HTTP child's): exactly one stdout line `READY <socketPath>` once
// it serves; SIGTERM or SIGINT closes the server (which removes the socket file), then the
// store, then exits 0. Failures go to stderr, exit 1; a path that exists already is one.
import { rmSync } from 'node:fs';
import process from 'node:process';
import { openStore } from '@pluresdb-ipc/store';
import { serveUds } from './uds-server.ts';

const [dataDir, socketPath] = process.argv.slice(2);
if (dataDir === undefined || dataDir === '' || socketPath === undefined || socketPath === '') {
  process.stderr.write('usage: node dist/baselines/uds-child.js <dataDir> <socketPath>\n');
  process.exit(2);
}

let listening = false;
try {
  const store = await openStore({ path: dataDir, durability: 'process' });
  const server = await serveUds(store, socketPath);
  listening = true;
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
  process.stdout.write(`READY ${socketPath}\n`);
} catch (error) {
  die(error);
}

function die(error: unknown): never {
  // The socket file is ours only once we listen on it.
  if (listening && socketPath !== undefined) rmSync(socketPath, { force: true });
  process.stderr.write(`uds-child: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
}
