// This process's CPU time and peak memory, read the same way in Node, Bun and Deno.
import { readFileSync } from 'node:fs';
import process from 'node:process';

/** CPU time (user + system) used by this process so far, µs. */
export function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/** Peak resident memory of process `pid` (default this one), MiB; 0 when unknown. */
export function peakRssMib(pid: number | 'self' = 'self'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Linux's USER_HZ: /proc reports CPU time in ticks of 1/100 s. */
const TICK_US = 10_000;

/**
 * CPU time of every thread of process `pid` so far, µs (fields 14 and 15 of /proc/PID/stat:
 * utime and stime, in 10 ms ticks, so only runs of a second or more are precise).
 */
export function processCpuMicros(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[14 - 3]) + Number(fields[15 - 3])) * TICK_US;
  } catch {
    return 0;
  }
}
