// This process's CPU time and peak memory, read the same way in Node, Bun and Deno.
import { readdirSync, readFileSync } from 'node:fs';
import process from 'node:process';
import { procStatField } from '@pluresdb-ipc/protocol/transport';

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

/** Current resident memory of process `pid` (/proc/PID/statm, 4 KiB pages), MiB; 0 when unknown. */
export function rssMib(pid: number): number {
  try {
    const resident = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return (resident * 4096) / 2 ** 20;
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
    return (Number(procStatField(stat, 14)) + Number(procStatField(stat, 15))) * TICK_US;
  } catch {
    return 0;
  }
}

/**
 * CPU time of the threads process `pid` has now, µs, to the nanosecond (the first field of
 * each /proc/PID/task/TID/schedstat), where {@link processCpuMicros} counts 10 ms ticks: a 2 s
 * idle window measured in ticks is only good to 0.5% of a core. A thread that exits takes its
 * time with it, so compare two readings only across a stretch where threads stay (idle).
 */
export function threadsCpuMicros(pid: number): number {
  try {
    let nanos = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const schedstat = readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'latin1');
      nanos += Number(schedstat.split(' ')[0]);
    }
    return nanos / 1000;
  } catch {
    return processCpuMicros(pid);
  }
}
