// The fake-server probe in Bun, with @pluresdb-ipc/client-bun (see probe.ts).
import { connect } from '@pluresdb-ipc/client-bun';
import { runProbe } from './probe.ts';

await runProbe(connect, process.argv.slice(2));
