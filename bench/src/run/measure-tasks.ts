// Runs the planned tasks, never two process groups at once (they share two cores), and turns
// each group result into a result row.

import type { ResultRow } from '../types.ts';
import type { GroupResult } from './client-group.ts';
import { ClientGroup, runGroup } from './client-group.ts';
import { jobOf, type Task } from './plan.ts';
import { runtimeCommand } from './runtimes.ts';
import type { BenchServer, ServerSet } from './servers.ts';

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

/** The label progress lines give a task. */
function labelOf(task: Task): string {
  return `${task.runtime} ${task.transport}${task.processes > 1 ? ` × ${task.processes} processes` : ''}`;
}

/** How a task's client processes start, or why they cannot. */
function launch(
  task: Task,
  servers: ServerSet,
): { command: readonly string[]; server: BenchServer } | { reason: string } {
  // Deno: the client needs only --allow-ffi, the benchmark reads /proc/self for its memory.
  const command = runtimeCommand(task.runtime, ['--allow-all']);
  const server = servers.byTransport.get(task.transport);
  if (command === undefined) return { reason: `${task.runtime} is not installed` };
  if (server === undefined)
    return { reason: servers.unavailable.get(task.transport) ?? 'no server' };
  return { command, server };
}

/**
 * Runs every task, one process group at a time (they share two cores): first the `byTurns`
 * tasks, scenario by scenario, each in turn; then the others, each whole. `onStep` hears each
 * scenario as it ends, and each group as it starts.
 */
export async function measureTasks(
  tasks: readonly Task[],
  servers: ServerSet,
  onStep: (label: string) => void,
): Promise<{ rows: ResultRow[]; skipped: Skipped[] }> {
  const rows: ResultRow[] = [];
  const skipped: Skipped[] = [];
  const runnable: { task: Task; command: readonly string[]; server: BenchServer }[] = [];
  for (const task of tasks) {
    const how = launch(task, servers);
    if ('reason' in how) {
      skipped.push({ task, reason: how.reason });
      for (const _ of [...task.scenarios, 'start']) onStep(`${labelOf(task)}: skipped`);
    } else {
      runnable.push({ task, ...how });
    }
  }
  const byTurns = runnable.filter(({ task }) => task.byTurns);
  const groups = byTurns.map(({ task, command, server }) => {
    onStep(`${labelOf(task)}: starting`);
    return new ClientGroup(command, jobOf(task, server.endpoint), task.processes, server.pid);
  });
  try {
    const turns = Math.max(0, ...byTurns.map(({ task }) => task.scenarios.length));
    for (let index = 0; index < turns; index++) {
      for (const [n, { task }] of byTurns.entries()) {
        const result = await (groups[n] as ClientGroup).runNext();
        rows.push(row(task, index, result));
        onStep(
          `${labelOf(task)}: ${task.scenarios[index]?.name} ×${task.scenarios[index]?.inFlight}`,
        );
      }
    }
    await Promise.all(groups.map((group) => group.finish()));
  } finally {
    for (const group of groups) group.kill();
  }
  for (const { task, command, server } of runnable.filter(({ task }) => !task.byTurns)) {
    const label = labelOf(task);
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
