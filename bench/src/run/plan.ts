// What one run measures: the documents, the scenarios, and which runtime × transport × number
// of processes runs which of them.
import { availableParallelism } from 'node:os';
import type { ClientJob, ScenarioSpec } from '../client/job.ts';
import type { RuntimeName, TransportName } from '../types.ts';

/** The documents every server (and the in-process store) holds before measuring. */
export const seed: readonly { key: string; bytes: number }[] = [
  { key: 'bench/doc-100', bytes: 100 },
  { key: 'bench/doc-10k', bytes: 10 * 1024 },
  { key: 'bench/doc-1m', bytes: 1024 * 1024 },
  ...Array.from({ length: 100 }, (_, i) => ({
    key: `bench/list/${String(i).padStart(3, '0')}`,
    bytes: 100,
  })),
];

/**
 * The prefix the `count 10k` and `list 10k` rows read: {@link COUNT_KEYS} small documents,
 * seeded into the IPC server only (the only transport with a count).
 */
export const COUNT_PREFIX = 'bench/count/';
/** How many documents {@link COUNT_PREFIX} holds. */
export const COUNT_KEYS = 10_000;

/** How long each phase runs. */
export interface Timing {
  readonly warmupMs: number;
  readonly ms: number;
  /**
   * Warm-up per process when processes outnumber the cores, times processes per core: their
   * JITs compile on the same cores (16 Node clients on 2 cores were still compiling after
   * 1.5 s and measured half their later rate). 0 keeps the plain warm-up (`--quick`).
   */
  readonly crowdedWarmupMs: number;
}

/** The full run (a few minutes) and `--quick` (under one). */
export const timings = {
  full: { warmupMs: 500, ms: 2000, crowdedWarmupMs: 1000 },
  quick: { warmupMs: 100, ms: 300, crowdedWarmupMs: 0 },
} as const satisfies Record<string, Timing>;

/** The warm-up of a group of `processes` client processes. */
function groupWarmupMs(timing: Timing, processes: number): number {
  const perCore = processes / availableParallelism();
  return perCore <= 1
    ? timing.warmupMs
    : Math.max(timing.warmupMs, timing.crowdedWarmupMs * perCore);
}

/** One group of client processes: a runtime, a transport, how many processes, which scenarios. */
export interface Task {
  readonly runtime: RuntimeName;
  readonly transport: TransportName;
  readonly processes: number;
  readonly scenarios: readonly ScenarioSpec[];
  /**
   * Runs by turns with the other tasks so marked: scenario by scenario, each task in turn,
   * so that they compare within seconds of each other (the host drifts over minutes). Such
   * tasks have the same scenarios.
   */
  readonly byTurns?: boolean;
}

function scenariosFor(transport: TransportName, timing: Timing): ScenarioSpec[] {
  const spec = (name: string, op: ScenarioSpec['op'], key: string, inFlight = 1): ScenarioSpec => ({
    name,
    op,
    key,
    inFlight,
    warmupMs: timing.warmupMs,
    ms: timing.ms,
  });
  if (transport === 'shm-pingpong') return [spec('ping', 'ping', '')];
  const list = { ...spec('list 100', 'list', 'bench/list/'), limit: 100 };
  const specs = [
    spec('get 100 B', 'get', 'bench/doc-100'),
    spec('put 100 B', 'put', 'bench/put/'),
    spec('get 10 KiB', 'get', 'bench/doc-10k'),
    spec('get 1 MiB', 'get', 'bench/doc-1m'),
    // Redis has no ordered listing by prefix: no list rows for it.
    ...(transport === 'redis' ? [] : [list]),
    ...[16, 256].map((n) => spec('get 100 B', 'get', 'bench/doc-100', n)),
    ...[16, 256].map((n) => spec('put 100 B', 'put', 'bench/put/', n)),
  ];
  if (transport === 'redis') specs.push(spec('ping', 'ping', ''));
  if (transport === 'ipc') {
    // Last, so the scenarios before keep the order (and the drift) of earlier runs.
    specs.push(
      spec('ping', 'ping', ''),
      spec('event delay', 'event', 'bench/event/'),
      spec('getSync 100 B', 'getSync', 'bench/doc-100'),
      // A count of a 10k-key prefix (keys only, in LMDB) against listing the same records
      // (one page of 10,000, values included).
      spec('count 10k', 'count', COUNT_PREFIX),
      { ...spec('list 10k', 'list', COUNT_PREFIX), limit: COUNT_KEYS },
    );
  }
  return specs;
}

/**
 * Every task of a run. Each runtime's IPC client runs every scenario, the runtimes taking
 * turns scenario by scenario (the 1.5×-of-Node target compares them); the baselines run in
 * Node (they are Node servers and clients); several client processes at once are measured
 * with Node clients.
 */
export function planTasks(runtimes: readonly RuntimeName[], timing: Timing): Task[] {
  const tasks: Task[] = runtimes.map((runtime) => ({
    runtime,
    transport: 'ipc',
    processes: 1,
    scenarios: scenariosFor('ipc', timing),
    byTurns: true,
  }));
  for (const transport of [
    'http',
    'uds',
    'redis',
    'in-process',
    'sqlite',
    'shm-pingpong',
  ] as const) {
    tasks.push({
      runtime: 'node',
      transport,
      processes: 1,
      scenarios: scenariosFor(transport, timing),
    });
  }
  for (const processes of [4, 16]) {
    for (const transport of ['ipc', 'http', 'uds', 'redis'] as const) {
      tasks.push({
        runtime: 'node',
        transport,
        processes,
        scenarios: [
          {
            name: 'get 100 B',
            op: 'get',
            key: 'bench/doc-100',
            inFlight: 1,
            warmupMs: groupWarmupMs(timing, processes),
            ms: timing.ms,
          },
        ],
      });
    }
  }
  return tasks;
}

/** The job a task's processes receive. */
export function jobOf(task: Task, endpoint: ClientJob['endpoint']): ClientJob {
  return { transport: task.transport, endpoint, seed, scenarios: task.scenarios };
}
