// A Windows client that connects to the channel in argv[2], says `connected` and idles until
// it is killed: the liveness check's victim. Type-strippable TypeScript.
import { connect } from '@pluresdb-ipc/client-node';

const client = await connect(process.argv[2] as string, { timeoutMs: 15_000 });
await client.ping();
process.stdout.write('connected\n');
setInterval(() => {}, 60_000);
