// many-clients.ts in Deno (run with --allow-ffi --allow-read --node-modules-dir=manual).
import { connect, denoLibc } from '@pluresdb-ipc/client-deno';
import { manyClientsArgs, runManyClients } from './many-clients.ts';

const report = await runManyClients(
  { connect: (channel) => connect(channel), libc: denoLibc },
  manyClientsArgs(process.argv.slice(2)),
);
console.log(JSON.stringify(report));
