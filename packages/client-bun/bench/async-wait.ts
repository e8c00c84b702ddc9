// koffi's `.async` against a Worker relay for the asynchronous futex wait in Bun (bun:ffi has
// no asynchronous call): `bun bench/async-wait.ts` (pnpm --filter @pluresdb-ipc/client-bun bench).
import { measureAsyncWake, printAsyncWake } from '../../protocol/bench/async-wake.ts';
import { bunLibc } from '../src/bun-libc.ts';
import { stopWorkerRelay, workerRelayLibc } from './worker-relay-libc.ts';

const rows = [];
for (const [binding, libc] of [
  ['bun:ffi calls, koffi .async wait', bunLibc],
  ['bun:ffi calls, Worker relay wait', workerRelayLibc],
] as const) {
  rows.push(await measureAsyncWake(binding, libc));
}
stopWorkerRelay();
printAsyncWake(`bun ${Bun.version}`, rows);
