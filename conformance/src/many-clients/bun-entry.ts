// many-clients.ts in Bun.
import { bunLibc, connect } from '@pluresdb-ipc/client-bun';
import { manyClientsArgs, runManyClients } from './many-clients.ts';

const report = await runManyClients(
  { connect: (channel) => connect(channel), libc: bunLibc },
  manyClientsArgs(process.argv.slice(2)),
);
console.log(JSON.stringify(report));
