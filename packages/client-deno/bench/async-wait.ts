// Deno.dlopen (nonblocking symbols) against npm:koffi (the Node binding) for the transport's
// futex: `deno run -A bench/async-wait.ts` (pnpm --filter @pluresdb-ipc/client-deno bench).
import { nodeLibc } from '@pluresdb-ipc/client-node';
import { measureAsyncWake, printAsyncWake } from '../../protocol/bench/async-wake.ts';
import { denoLibc } from '../src/deno-libc.ts';

const rows = [];
for (const [binding, libc] of [
  ['Deno.dlopen, nonblocking', denoLibc],
  ['npm:koffi, .async', nodeLibc],
] as const) {
  rows.push(await measureAsyncWake(binding, libc));
}
printAsyncWake(`deno ${Deno.version.deno}`, rows);
