// `pnpm bench`: the whole benchmark in one run. Starts the IPC server and the baselines, runs
// every client runtime and transport through the same scenarios, then writes
// bench/results/latest.{json,md,svg} (plus latest-checks.json) and prints the table.
// `--quick` runs every scenario briefly (under a minute), for development.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { consoleTable, markdownReport } from './report/markdown.ts';
import { createProgress } from './report/progress.ts';
import { sleepingClientsConsole } from './report/sleeping-table.ts';
import { svgChart } from './report/svg-chart.ts';
import { catchUpCheck } from './run/catch-up-check.ts';
import { idleChecks } from './run/idle-checks.ts';
import { measureTasks } from './run/measure-tasks.ts';
import { planTasks, timings } from './run/plan.ts';
import { seedServers } from './run/seed-servers.ts';
import { startServers } from './run/servers.ts';
import { sleepingClients, sleepingPlans } from './run/sleeping-clients.ts';
import type { RuntimeName } from './types.ts';

const usage = `usage: pnpm bench [--quick] [--runtimes node,bun,deno] [--out DIR]`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      runtimes: { type: 'string', default: 'node,bun,deno' },
      out: { type: 'string', default: fileURLToPath(new URL('../results', import.meta.url)) },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const runtimes = values.runtimes.split(',').filter((name): name is RuntimeName => {
    if (name === 'node' || name === 'bun' || name === 'deno') return true;
    throw new Error(`unknown runtime "${name}"\n${usage}`);
  });
  const timing = values.quick ? timings.quick : timings.full;
  const tasks = planTasks(runtimes, timing);
  // + starting servers, the idle checks, and two kinds of wait per runtime.
  const steps =
    tasks.reduce((sum, task) => sum + task.scenarios.length + 1, 0) + 3 + 2 * runtimes.length;
  const progress = createProgress(steps, process.stderr);
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown CPU',
    cores: cpus().length,
    os: `Linux ${release()}`,
    node: process.version,
    date: new Date().toISOString(),
  };

  progress.step('starting servers');
  const servers = await startServers((line) => process.stderr.write(`\n${line}\n`));
  try {
    const ipc = servers.byTransport.get('ipc');
    const http = servers.byTransport.get('http');
    const uds = servers.byTransport.get('uds');
    if (!ipc || !http || !uds) throw new Error('a server did not start');
    await seedServers(
      ipc.endpoint,
      http.endpoint,
      uds.endpoint,
      servers.byTransport.get('redis')?.endpoint,
    );
    const { rows, skipped } = await measureTasks(tasks, servers, (label) => progress.step(label));
    progress.step('idle checks: 64 clients');
    const checks = await idleChecks(
      ipc.endpoint.channel ?? '',
      ipc.pid,
      64,
      values.quick ? 1000 : 2000,
    );
    progress.step('catch-up: a resumed watch replays the change log');
    const catchUp = await catchUpCheck(ipc.endpoint.channel ?? '', values.quick ? 20_000 : 100_000);
    const sleeping = await sleepingClients(
      ipc.endpoint.channel ?? '',
      runtimes,
      values.quick ? sleepingPlans.quick : sleepingPlans.full,
      (label) => progress.step(label),
    );
    progress.done();

    mkdirSync(values.out, { recursive: true });
    writeFileSync(join(values.out, 'latest.json'), `${JSON.stringify(rows, null, 2)}\n`);
    writeFileSync(
      join(values.out, 'latest-checks.json'),
      `${JSON.stringify({ machine, quick: values.quick, checks, catch_up: catchUp, sleeping_clients: sleeping, skipped: skipped.map((s) => ({ runtime: s.task.runtime, transport: s.task.transport, reason: s.reason })) }, null, 2)}\n`,
    );
    writeFileSync(join(values.out, 'latest.md'), markdownReport(rows, machine, sleeping));
    writeFileSync(join(values.out, 'latest.svg'), svgChart(rows));
    process.stdout.write(`${consoleTable(rows)}\n`);
    process.stdout.write(`\nidle: ${JSON.stringify(checks)}\n`);
    process.stdout.write(
      `catch-up: a resumed watch replayed ${catchUp.changes} logged changes in ${catchUp.replay_ms} ms (${catchUp.events_per_second} events/s)\n`,
    );
    process.stdout.write(`\n${sleepingClientsConsole(sleeping)}\n`);
    for (const { task, reason } of skipped)
      process.stdout.write(`skipped ${task.runtime} ${task.transport}: ${reason}\n`);
    process.stdout.write(
      `\nwrote ${join(values.out, 'latest.{json,md,svg}')} and latest-checks.json\n`,
    );
    return 0;
  } finally {
    await servers.stop();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`\nbench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
