// The Worker of worker-relay-libc.ts: blocking futex waits on its own thread.
import { bunLibc } from '../src/bun-libc.ts';

declare const self: Worker;

self.addEventListener(
  'message',
  (message: MessageEvent<{ id: number; address: bigint; expected: number; timeoutMs: number }>) => {
    const { id, address, expected, timeoutMs } = message.data;
    self.postMessage({ id, result: bunLibc.futexWait(address, expected, timeoutMs) });
  },
);
