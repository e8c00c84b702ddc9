// "Sleeping clients" before and after (spec/transport.md#many-doorbells-one-waiter): the
// waiter checks in a child process per runtime and kind of wait, one at a time, so one bench
// run measures both the old wait per client and the process's one waiter.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { RuntimeName } from '../types.ts';
import { runtimeCommand } from './runtimes.ts';
import type { WaiterChecks, WaiterLimits, WaitMode } from './waiter-checks.ts';

const run = promisify(execFile);
// The built child from dist/ (from src/ too, as the tests import this file): Node cannot run
// the TypeScript source, and every runtime runs the same built file.
const childMain = fileURLToPath(
  new URL('../../dist/client/sleeping-clients-main.js', import.meta.url),
);
const benchDir = fileURLToPath(new URL('../..', import.meta.url));

/** What a child process is asked to measure. */
export interface SleepingClientsJob {
  readonly channel: string;
  /** Idle subscribed clients in the child (besides the writer). */
  readonly clients: number;
  readonly limits: WaiterLimits;
}

/** Sample limits per kind of wait: the old way is slow by nature (a pool thread per sample). */
export interface SleepingClientsPlan {
  readonly clients: number;
  readonly limits: Readonly<Record<WaitMode, WaiterLimits>>;
  /** The runtimes whose old wait per client is measured (the others show the waiter only). */
  readonly perClientIn: readonly RuntimeName[];
}

/**
 * The full run's and `--quick`'s plans. The per-client samples are few and time-bounded: with
 * 16 sleepers on 4 pool threads each sample waits for a thread a sleeper gives back (a Node
 * readFile took seconds), and the 16 connects alone take seconds (Node) or over ten (Bun).
 * So `--quick` measures the old way in Node only (about 8 s more); the full run in Node and
 * Bun (about 45 s more).
 */
export const sleepingPlans = {
  full: {
    clients: 16,
    limits: {
      'per-client': { samples: 30, wakes: 20, budgetMs: 6000 },
      process: { samples: 100, wakes: 20, budgetMs: 10_000 },
    },
    perClientIn: ['node', 'bun'],
  },
  quick: {
    clients: 16,
    limits: {
      'per-client': { samples: 5, wakes: 5, budgetMs: 1500 },
      process: { samples: 20, wakes: 10, budgetMs: 3000 },
    },
    perClientIn: ['node'],
  },
} as const satisfies Record<string, SleepingClientsPlan>;

/** Both kinds of wait, in report order: before, after. */
export const WAIT_MODES: readonly WaitMode[] = ['per-client', 'process'];

/** A runtime and kind of wait that could not be measured, and why. */
export interface SleepingSkipped {
  readonly runtime: RuntimeName;
  readonly mode: WaitMode;
  readonly reason: string;
}

/** What the sleeping-clients checks measured, for the report and latest-checks.json. */
export interface SleepingClients {
  readonly clients: number;
  readonly runs: readonly WaiterChecks[];
  readonly skipped: readonly SleepingSkipped[];
}

/** Why `runtime` does not run `mode` under `plan`, or undefined when it does. */
function notRun(
  runtime: RuntimeName,
  mode: WaitMode,
  plan: SleepingClientsPlan,
): string | undefined {
  if (mode !== 'per-client') return undefined;
  // Only the Node and Bun bindings read PLURESDB_IPC_WAITER (spec/transport.md, Fallback).
  if (runtime === 'deno') return 'the Deno binding has no switch to force one wait per client';
  if (!plan.perClientIn.includes(runtime)) return 'measured in the full run only (slow)';
  return undefined;
}

/**
 * Runs the checks for each of `runtimes` in both kinds of wait against the server of
 * `channel`, one child process at a time (they share the cores with nothing else then).
 * `onStep` hears each one as it starts.
 */
export async function sleepingClients(
  channel: string,
  runtimes: readonly RuntimeName[],
  plan: SleepingClientsPlan,
  onStep: (label: string) => void = () => {},
): Promise<SleepingClients> {
  const runs: WaiterChecks[] = [];
  const skipped: SleepingSkipped[] = [];
  for (const runtime of runtimes) {
    for (const mode of WAIT_MODES) {
      onStep(`sleeping clients: ${runtime}, ${mode} waits`);
      const command = runtimeCommand(runtime, ['--allow-all']);
      const reason =
        command === undefined ? `${runtime} is not installed` : notRun(runtime, mode, plan);
      if (reason !== undefined || command === undefined) {
        skipped.push({ runtime, mode, reason: reason ?? 'not installed' });
        continue;
      }
      const job: SleepingClientsJob = { channel, clients: plan.clients, limits: plan.limits[mode] };
      const env = { ...process.env };
      if (mode === 'per-client') env.PLURESDB_IPC_WAITER = 'per-client';
      else delete env.PLURESDB_IPC_WAITER;
      const [program, ...args] = command;
      try {
        const { stdout } = await run(program as string, [...args, childMain, JSON.stringify(job)], {
          cwd: benchDir,
          env,
          timeout: 120_000,
          maxBuffer: 1 << 20,
        });
        runs.push(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as WaiterChecks);
      } catch (error) {
        const { stderr } = error as { stderr?: string };
        const text = (stderr ?? '').trim() || (error instanceof Error ? error.message : '');
        // The error's own line: the first that names one, else the last.
        const lines = text.split('\n');
        const line = lines.find((candidate) => /Error\b/.test(candidate)) ?? lines.at(-1);
        skipped.push({ runtime, mode, reason: `failed: ${line?.trim() ?? 'no output'}` });
      }
    }
  }
  return { clients: plan.clients, runs, skipped };
}
