// Process identities for liveness (spec/transport.md#liveness): a pid plus the process's start
// time, so a pid the OS reused for another process is not mistaken for the one we knew.
import { readFileSync } from 'node:fs';
import type { ProcessIdentity } from '@pluresdb-ipc/protocol';

/** Start time of a process (field 22 of /proc/PID/stat, clock ticks since boot), or undefined. */
export function processStart(pid: number | 'self'): bigint | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = fields[22 - 3];
  return start === undefined ? undefined : BigInt(start);
}

/** This process's identity. */
export function selfIdentity(): ProcessIdentity {
  return { pid: process.pid, start: processStart('self') ?? 0n };
}

const hasProc = processStart('self') !== undefined;

/** True while the process still runs with the same start time. */
export function isProcessAlive(identity: ProcessIdentity): boolean {
  if (identity.pid <= 0) return false;
  if (hasProc) return processStart(identity.pid) === identity.start;
  // No /proc (not Linux): the pid alone is all there is.
  try {
    process.kill(identity.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
