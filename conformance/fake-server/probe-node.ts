// The fake-server probe in Node, with @pluresdb-ipc/client-node (see probe.ts).
import { IPCClient } from '@pluresdb-ipc/client-node';
import { runProbe } from './probe.ts';

await runProbe((channel, options) => IPCClient.connect(channel, options), process.argv.slice(2));
