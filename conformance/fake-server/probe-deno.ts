// The fake-server probe in Deno, with @pluresdb-ipc/client-deno (see probe.ts).
import { connect } from '@pluresdb-ipc/client-deno';
import { runProbe } from './probe.ts';

await runProbe(connect, process.argv.slice(2));
