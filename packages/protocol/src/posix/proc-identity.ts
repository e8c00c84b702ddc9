// Process identities for liveness (spec/transport.md#liveness): a pid plus the process's start
// time, so a pid the OS reused for another process is not mistaken for the one we knew.
import type { ProcessIdentity } from '../transport/platform.ts';

/** Reads a small text file, or returns undefined when it cannot (the host's file API). */
export type ReadTextFile = (path: string) => string | undefined;

/**
 * Field `n` (1-based, as proc(5) numbers them, n ≥ 3) of a /proc/PID/stat text. The command
 * name (field 2) may contain spaces and parentheses, so fields are counted after the last ')'.
 */
export function procStatField(stat: string, n: number): string | undefined {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[n - 3];
}

/** Start time of a process (field 22 of /proc/PID/stat, clock ticks since boot), or undefined. */
export function processStart(read: ReadTextFile, pid: number | 'self'): bigint | undefined {
  const stat = read(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  const start = procStatField(stat, 22);
  return start === undefined || !/^\d+$/.test(start) ? undefined : BigInt(start);
}

/**
 * Liveness by /proc: true while `identity.pid` runs with the same start time. Linux only (the
 * transport is Linux-only: it needs the futex call).
 */
export function procIsAlive(read: ReadTextFile, identity: ProcessIdentity): boolean {
  return identity.pid > 0 && processStart(read, identity.pid) === identity.start;
}
