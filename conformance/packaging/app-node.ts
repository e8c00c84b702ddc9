// A consumer app for the packaging test: the server and the Node client as installed from their
// tarballs. It starts its own server (`startServer`), connects (`waitForServer`), puts, gets and
// watches through the client, then keeps the server running until its stdin ends (so Bun and
// Deno clients can use it meanwhile), stops it and checks that it stopped cleanly.
import { once } from 'node:events';
import { cageMode, connect, type PluresClient } from '@pluresdb-ipc/client-node';
import { startAppServer } from './app-server.js';

const [channel = 'packaging', dataDir = 'data'] = process.argv.slice(2);
const server = await startAppServer(channel, dataDir);
const db: PluresClient = await connect(server.channel, { waitForServer: 10_000 });
const changes = db.watch('packaging/');
await db.put('packaging/node', { from: 'node' });
const got = await db.get('packaging/node');
const { value: change } = await changes.next();
await changes.return?.();
// `cage`: whether PLURESDB_IPC_ELECTRON_CAGE=1 made koffi.view throw in this process.
console.log(
  JSON.stringify({ node: process.versions.node, got, watched: change?.key, cage: cageMode }),
);
await db.close();

console.log(`serving ${server.channel}`);
process.stdin.resume();
await once(process.stdin, 'end');
await server.stop();
console.log('server stopped: exit 0');
