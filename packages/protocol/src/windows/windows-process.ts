// Process identities on Windows (spec/transport.md#windows-process-identity): a pid plus the
// process's creation time (GetProcessTimes, a FILETIME: 100 ns units since 1601), so a pid
// Windows reused for another process is not mistaken for the one we knew.
import type { ProcessIdentity } from '../transport/platform.ts';
import { type Kernel32Calls, win32 } from './kernel32-calls.ts';

const access = win32.PROCESS_QUERY_LIMITED_INFORMATION | win32.SYNCHRONIZE;

/** The creation time of the process open as `handle`, or undefined. */
function creationTime(calls: Kernel32Calls, handle: bigint): bigint | undefined {
  const times = new BigUint64Array(4);
  return calls.getProcessTimes(handle, times) === 0 ? undefined : times[0];
}

/** The identity of running process `pid` (pid and creation time), or undefined. */
export function windowsIdentity(calls: Kernel32Calls, pid: number): ProcessIdentity | undefined {
  if (pid <= 0) return undefined;
  const handle = calls.openProcess(access, pid);
  if (handle === 0n) return undefined;
  try {
    if (calls.waitForSingleObject(handle, 0) !== win32.WAIT_TIMEOUT) return undefined;
    const start = creationTime(calls, handle);
    return start === undefined ? undefined : { pid, start };
  } finally {
    calls.closeHandle(handle);
  }
}

/** This process's identity. */
export function windowsSelf(calls: Kernel32Calls): ProcessIdentity {
  return {
    pid: calls.getCurrentProcessId(),
    start: creationTime(calls, calls.getCurrentProcess()) ?? 0n,
  };
}

/**
 * True while `identity.pid` runs with the same creation time. A process that has exited but
 * whose object someone still holds opens fine, so "runs" is checked too (a zero-timeout wait on
 * it times out). A process this user may not open is not a peer (peers are this user's).
 */
export function windowsIsAlive(calls: Kernel32Calls, identity: ProcessIdentity): boolean {
  if (identity.pid <= 0) return false;
  const handle = calls.openProcess(access, identity.pid);
  if (handle === 0n) return false;
  try {
    if (calls.waitForSingleObject(handle, 0) !== win32.WAIT_TIMEOUT) return false;
    return creationTime(calls, handle) === identity.start;
  } finally {
    calls.closeHandle(handle);
  }
}

/**
 * True while some process has `pid` (the cheap check, which cannot tell a reused pid): it
 * opens and runs, or it exists but belongs to someone we may not open (ERROR_ACCESS_DENIED).
 */
export function windowsPidExists(calls: Kernel32Calls, pid: number): boolean {
  if (pid <= 0) return false;
  const handle = calls.openProcess(access, pid);
  if (handle === 0n) return calls.getLastError() === win32.ERROR_ACCESS_DENIED;
  try {
    return calls.waitForSingleObject(handle, 0) === win32.WAIT_TIMEOUT;
  } finally {
    calls.closeHandle(handle);
  }
}
