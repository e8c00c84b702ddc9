// A consumer app for the packaging test: the Node client as installed from its tarball.
import { connect, type PluresClient } from '@pluresdb-ipc/client-node';

const db: PluresClient = await connect(process.argv[2] ?? 'default');
await db.put('packaging/node', { from: 'node' });
console.log(JSON.stringify(await db.get('packaging/node')));
await db.close();
