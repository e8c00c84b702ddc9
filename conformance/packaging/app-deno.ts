// A consumer app for the packaging test: the Deno client (an npm: import mapped in deno.json) as
// installed from its tarball, against the server the Node app runs.
import { connect, type PluresClient } from '@pluresdb-ipc/client-deno';

const db: PluresClient = await connect(Deno.args[0] ?? 'packaging');
const changes = db.watch('packaging/');
await db.put('packaging/deno', { from: 'deno' });
const got = await db.get('packaging/deno');
const { value: change } = await changes.next();
await changes.return?.();
console.log(JSON.stringify({ got, watched: change?.key, node: await db.get('packaging/node') }));
await db.close();
