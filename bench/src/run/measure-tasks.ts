// Runs the planned tasks one after another (never two at once: they share two cores) and
// turns each group result into a result row.
import { runtimeCommand } from '@pluresdb-ipc/server-node/bench/runtimes';
import type { ResultRow } from '../types.ts';
import type { GroupResult } from './client-group.ts';
import { runGroup } from './client-group.ts';
import { jobOf, type Task } from './plan.ts';
import type { ServerSet } from './servers.ts';

/** A task that could not run, and why. */
export interface Skipped {
  readonly task: Task;
  readonly reason: string;
}

function row(task: Task, index: number, result: GroupResult): ResultRow {
  const spec = task.scenarios[index];
  if (spec === undefined) throw new Error('a result without its scenario');
  const perOp = (us: number) => (result.ops > 0 ? us / result.ops : 0);
  return {
    runtime: task.runtime,
    transport: task.transport,
    scenario: spec.name,
    inFlight: spec.inFlight,
    clients: task.processes,
    p50_us: result.histogram.quantile(0.5),
    p99_us: result.histogram.quantile(0.99),
    p999_us: result.histogram.quantile(0.999),
    ops_per_s: result.opsPerSec,
    client_cpu_us_per_op: perOp(result.clientCpuUs),
    server_cpu_us_per_op: perOp(result.serverCpuUs),
    client_peak_rss_mib: result.clientPeakRssMib,
    server_peak_rss_mib: result.serverPeakRssMib,
  };
}

/** Runs every task; `onStep` hears each scenario as it starts. */
export async function measureTasks(
  tasks: readonly Task[],
  servers: ServerSet,
  onStep: (label: string) => void,
): Promise<{ rows: ResultRow[]; skipped: Skipped[] }> {
  const rows: ResultRow[] = [];
  const skipped: Skipped[] = [];
  for (const task of tasks) {
    const label = `${task.runtime} ${task.transport}${task.processes > 1 ? ` × ${task.processes} processes` : ''}`;
    // Deno: the client needs only --allow-ffi, the benchmark reads /proc/self for its memory.
    const command = runtimeCommand(task.runtime, ['--allow-all']);
    const server = servers.byTransport.get(task.transport);
    if (command === undefined || server === undefined) {
      skipped.push({
        task,
        reason: command === undefined ? `${task.runtime} is not installed` : 'no server',
      });
      for (const _ of task.scenarios) onStep(`${label}: skipped`);
      continue;
    }
    onStep(`${label}: starting`);
    const results = await runGroup(
      command,
      jobOf(task, server.endpoint),
      task.processes,
      server.pid,
    );
    results.forEach((result, index) => {
      rows.push(row(task, index, result));
      onStep(`${label}: ${task.scenarios[index]?.name} ×${task.scenarios[index]?.inFlight}`);
    });
  }
  return { rows, skipped };
}
