// The sleeping-clients check in a process of its own (Node, Bun and Deno run this same file):
// its environment chooses the kind of wait (PLURESDB_IPC_WAITER=per-client forces one wait per
// sleeper), so each kind gets a fresh process. Prints one JSON line (WaiterChecks).
// Argument: the job as JSON (SleepingClientsJob). Exit code 1 with the error on stderr.
import process from 'node:process';
import { processWaiterOf } from '@pluresdb-ipc/protocol/transport';
import type { SleepingClientsJob } from '../run/sleeping-clients.ts';
import { waiterChecks } from '../run/waiter-checks.ts';
import {
  connectInThisRuntime,
  libcInThisRuntime,
  thisRuntime,
} from '../targets/runtime-connect.ts';

try {
  const job = JSON.parse(process.argv[2] ?? '') as SleepingClientsJob;
  const libc = await libcInThisRuntime();
  const checks = await waiterChecks(
    {
      runtime: thisRuntime,
      mode: process.env.PLURESDB_IPC_WAITER === 'per-client' ? 'per-client' : 'process',
      connect: () => connectInThisRuntime(job.channel, { clientName: 'bench-sleeper' }),
      processWaiter: () => processWaiterOf(libc) !== null,
    },
    job.clients,
    job.limits,
  );
  process.stdout.write(`${JSON.stringify(checks)}\n`);
  process.exit(0);
} catch (error) {
  process.stderr.write(
    `sleeping clients (${thisRuntime}): ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
}
