// The fake-server probe in Node, with @pluresdb-ipc/client-node (see probe.ts).
import { connect } from '@pluresdb-ipc/client-node';
import { runProbe } from './probe.ts';

await runProbe(connect, process.argv.slice(2));
