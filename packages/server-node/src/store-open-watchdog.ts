// A store open that never returns must not leave a server that is never ready and never
// exits: LMDB's open is one synchronous native call, and where the OS refuses its memory map
// it spins forever (seen under Wine: spec/transport.md#windows). A timer on the main thread
// cannot fire while that call holds it, so a worker thread keeps the time and, past the
// limit, says why on stderr and kills the process (exit status non-zero).
import { Worker } from 'node:worker_threads';

/** How long the store may take to open before the server gives up; `storeOpenTimeoutMs`. */
export const DEFAULT_STORE_OPEN_TIMEOUT_MS = 30_000;

// CommonJS, evaluated in the worker: only builtins, nothing of the (blocked) main thread.
const WATCHDOG_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const timer = setTimeout(() => {
  try { writeSync(2, workerData.message + '\\n'); } finally { process.kill(process.pid, 'SIGKILL'); }
}, workerData.timeoutMs);
parentPort.once('message', () => { clearTimeout(timer); parentPort.close(); });
`;

/**
 * Runs `open` (the store's open) under a watchdog: if it has not settled after `timeoutMs`,
 * the process writes one line naming `dataDir` to stderr and is killed.
 */
export async function withStoreOpenWatchdog<T>(
  open: () => Promise<T>,
  dataDir: string,
  timeoutMs: number,
): Promise<T> {
  const message = `pluresdb-ipc: the store at ${dataDir} did not open within ${timeoutMs} ms (LMDB's open is stuck); exiting`;
  const watchdog = new Worker(WATCHDOG_SOURCE, { eval: true, workerData: { timeoutMs, message } });
  // It must never keep a process alive on its own.
  watchdog.unref();
  try {
    return await open();
  } finally {
    watchdog.postMessage('opened');
    void watchdog.terminate();
  }
}
