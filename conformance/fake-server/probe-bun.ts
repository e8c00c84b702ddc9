// The fake-server probe in Bun, with @pluresdb-ipc/client-bun (see probe.ts).
import { IPCClient } from '@pluresdb-ipc/client-bun';
import { runProbe } from './probe.ts';

await runProbe((channel, options) => IPCClient.connect(channel, options), process.argv.slice(2));
