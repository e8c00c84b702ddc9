// The fake-server probe in Deno, with @pluresdb-ipc/client-deno (see probe.ts).
import { IPCClient } from '@pluresdb-ipc/client-deno';
import { runProbe } from './probe.ts';

await runProbe((channel, options) => IPCClient.connect(channel, options), process.argv.slice(2));
