// `serve --parent-pid PID`: the server stops (cleanly, as on SIGTERM) once the process that
// started it is gone, however that process ended: a normal exit, a signal, or SIGKILL, which
// gives it no chance to stop its children (docs/operations.md, "A server owned by an app").
// We poll the parent's identity instead of watching a pipe on stdin because an Electron
// `utilityProcess` gets no stdin pipe, and any process that knows the app's pid can be told it.
import { readFileSync } from 'node:fs';
import { nodeKernel32 } from '@pluresdb-ipc/client-node';
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import {
  processStart,
  procStatField,
  windowsIdentity,
  windowsIsAlive,
} from '@pluresdb-ipc/protocol/transport';

/** How often the parent is looked at, in ms: how long a server may outlive it, before its stop. */
export const PARENT_POLL_MS = 250;

function readStat(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
}

/**
 * True while the process `pid` that started at `start` runs. A zombie (state Z or X: dead,
 * not yet reaped by its own parent) counts as gone: its /proc entry and start time stay until
 * it is reaped, which a careless launcher may never do.
 */
function parentRuns(pid: number, start: bigint): boolean {
  const stat = readStat(`/proc/${pid}/stat`);
  if (stat === undefined || processStart(() => stat, pid) !== start) return false;
  const state = procStatField(stat, 3);
  return state !== 'Z' && state !== 'X';
}

function procStart(pid: number): bigint | undefined {
  const stat = readStat(`/proc/${pid}/stat`);
  return stat === undefined ? undefined : processStart(() => stat, pid);
}

// Windows (spec/transport.md#windows-process-identity): the creation time stands for the start
// time, and an exited process that someone still holds counts as gone.
function windowsStart(pid: number): bigint | undefined {
  return windowsIdentity(nodeKernel32, pid)?.start;
}

function windowsParentRuns(pid: number, start: bigint): boolean {
  return windowsIsAlive(nodeKernel32, { pid, start });
}

/**
 * Calls `onGone` once when the process `pid` is gone, checking every {@link PARENT_POLL_MS};
 * returns the function that stops watching. Throws `InvalidArgument` when `pid` does not run
 * now (its start time, read here, tells a reused pid from it later).
 */
export function watchParent(pid: number, onGone: () => void): () => void {
  const start = process.platform === 'win32' ? windowsStart(pid) : procStart(pid);
  const runs = process.platform === 'win32' ? windowsParentRuns : parentRuns;
  if (start === undefined || !runs(pid, start)) {
    throw new IpcError(ErrorCode.InvalidArgument, `--parent-pid ${pid}: no such process`);
  }
  const timer = setInterval(() => {
    if (runs(pid, start)) return;
    clearInterval(timer);
    onGone();
  }, PARENT_POLL_MS);
  // The server's own work keeps the process alive; this timer must not once it has stopped.
  timer.unref();
  return () => clearInterval(timer);
}
