// The alternative to koffi's `.async` in Bun, for the comparison in bench/async-wait.ts only:
// a Worker makes the blocking bun:ffi futex wait and posts the result back.
import type { LibcCalls } from '@pluresdb-ipc/protocol/transport';
import { bunLibc } from '../src/bun-libc.ts';

const worker = new Worker(new URL('./futex-wait.worker.ts', import.meta.url).href);
let next = 0;
const waiting = new Map<number, (result: number) => void>();
worker.addEventListener('message', (message: MessageEvent<{ id: number; result: number }>) => {
  waiting.get(message.data.id)?.(message.data.result);
  waiting.delete(message.data.id);
});

/** bunLibc with the asynchronous wait relayed through a Worker. */
export const workerRelayLibc: LibcCalls = {
  ...bunLibc,
  futexWaitAsync(address, expected, timeoutMs) {
    const id = next++;
    return new Promise((resolve) => {
      waiting.set(id, resolve);
      worker.postMessage({ id, address, expected, timeoutMs });
    });
  },
};

/** Stops the relay's worker. */
export function stopWorkerRelay(): void {
  worker.terminate();
}
