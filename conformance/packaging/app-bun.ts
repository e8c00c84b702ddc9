// A consumer app for the packaging test: the Bun client as installed from its tarball, against
// the server the Node app runs.
import { connect, type PluresClient } from '@pluresdb-ipc/client-bun';

const db: PluresClient = await connect(process.argv[2] ?? 'packaging');
const changes = db.watch('packaging/');
await db.put('packaging/bun', { from: 'bun' });
const got = await db.get('packaging/bun');
const { value: change } = await changes.next();
await changes.return?.();
console.log(JSON.stringify({ got, watched: change?.key, node: await db.get('packaging/node') }));
await db.close();
