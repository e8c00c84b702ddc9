// A consumer app for the packaging test: the Bun client as installed from its tarball.
import { connect, type PluresClient } from '@pluresdb-ipc/client-bun';

const db: PluresClient = await connect(process.argv[2] ?? 'default');
await db.put('packaging/bun', { from: 'bun' });
console.log(JSON.stringify(await db.get('packaging/bun')));
await db.close();
