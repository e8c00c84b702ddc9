// A consumer app for the packaging test: the Deno client (an npm: import mapped in deno.json) as installed from its tarball.
import { connect, type PluresClient } from '@pluresdb-ipc/client-deno';

const db: PluresClient = await connect(Deno.args[0] ?? 'default');
await db.put('packaging/deno', { from: 'deno' });
console.log(JSON.stringify(await db.get('packaging/deno')));
await db.close();
