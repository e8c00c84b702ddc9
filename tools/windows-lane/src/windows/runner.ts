// The lane's Windows-side runner, run by Windows node.exe under Wine: every conformance
// scenario against the Windows Node driver and the Windows Bun driver (each with a Windows
// server), the cross-runtime scenario with Windows Node and Windows Bun together, and the
// lane's own checks; results go to a JSON file the Linux side prints (node.exe cannot write
// to a Linux pipe, and a file outlives a crash). The scenarios are the framework-agnostic
// ones of conformance/src/scenarios; only the loop around them is new.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withParticipants } from '../../../../conformance/src/harness/cross-fixture.ts';
import { withKnownFailures } from '../../../../conformance/src/harness/known-failures.ts';
import {
  loadRuntime,
  type RuntimeSpec,
} from '../../../../conformance/src/harness/runtime-files.ts';
import { RuntimeFixture } from '../../../../conformance/src/harness/runtime-fixture.ts';
import { runtimesDir } from '../../../../conformance/src/paths.ts';
import {
  CROSS_RUNTIME_SCENARIO,
  crossRuntime,
} from '../../../../conformance/src/scenarios/cross-runtime.ts';
import { scenarios } from '../../../../conformance/src/scenarios/index.ts';
import type { LaneResults, ResultGroup } from '../lane-results.ts';
import { laneChecks } from './lane-checks.ts';
import { timed } from './timed.ts';
import { installWindowsFreeze } from './windows-signals.ts';
import { WINDOWS_SKIPS } from './windows-skips.ts';
import { wineFigures } from './wine-figures.ts';

/** What the Linux side asks for (a JSON file, its path the only argument). */
export interface RunnerConfig {
  /** Where the results go (a Windows path). */
  readonly results: string;
  /** Windows Bun's bun.exe. */
  readonly bun: string;
  /** Arguments Windows Node runs TypeScript drivers with (type transform, the Wine preload). */
  readonly nodeArgs: readonly string[];
  /** `node`, `bun` or both. */
  readonly runtimes: readonly string[];
  /** Runs only scenarios whose name contains this (for debugging the lane). */
  readonly only?: string;
}

const DEFAULT_SCENARIO_TIMEOUT_MS = 30_000;
/** Wine starts a process in ~0.3 s but a runtime's first start can take 15 s (PLATFORMS.md). */
const STARTUP_ALLOWANCE_MS = 60_000;

const config = JSON.parse(
  (await import('node:fs')).readFileSync(process.argv[2] as string, 'utf8'),
) as RunnerConfig;
installWindowsFreeze();
const output: LaneResults = { groups: [], figures: [] };
const save = (): void => writeFileSync(config.results, JSON.stringify(output, null, 2));

try {
  const runtimes = config.runtimes.map(windowsRuntime);
  for (const runtime of runtimes) {
    const group: ResultGroup = { name: runtime.name, results: [] };
    output.groups.push(group);
    await runScenarios(runtime, group, save);
  }
  if (runtimes.length >= 2 && config.only === undefined) {
    // Windows Node, Windows Bun, Windows Node: the Linux clients cannot share Wine's memory.
    const participants = [0, 1, 2].map((i) => runtimes[i % runtimes.length] as RuntimeSpec);
    const group: ResultGroup = { name: 'cross-runtime', results: [] };
    output.groups.push(group);
    const name = `${CROSS_RUNTIME_SCENARIO} (${participants.map((r) => r.name).join(', ')})`;
    group.results.push(
      await timed(name, 120_000, () =>
        withKnownFailures(participants, CROSS_RUNTIME_SCENARIO, () =>
          withParticipants(participants, crossRuntime),
        ),
      ),
    );
    save();
  }
  if (config.only === undefined) {
    {
      const group: ResultGroup = { name: 'lane checks', results: [] };
      output.groups.push(group);
      await laneChecks(group, config.bun, save);
      output.figures.push(...(await wineFigures()));
    }
  }
} catch (error) {
  output.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
}
save();
// Explicit: a client's waiter thread or a leftover handle must not keep the runner alive.
process.exit(0);

// A runtime file of the repository (its capabilities), started the Windows way.
function windowsRuntime(name: string): RuntimeSpec {
  const base = loadRuntime(join(runtimesDir, `${name}.json`));
  const command =
    name === 'node'
      ? [process.execPath, ...config.nodeArgs, 'drivers/node.ts']
      : name === 'bun'
        ? [config.bun, 'drivers/bun.ts']
        : undefined;
  if (command === undefined) throw new Error(`no Windows runtime "${name}" (node, bun)`);
  return {
    ...base,
    name: `windows-${name}`,
    launch: { ...base.launch, command, env: { ...process.env } },
  };
}

async function runScenarios(
  runtime: RuntimeSpec,
  group: ResultGroup,
  progress: () => void,
): Promise<void> {
  const fixture = new RuntimeFixture(runtime);
  let first = true;
  try {
    for (const scenario of scenarios) {
      if (config.only !== undefined && !scenario.name.includes(config.only)) continue;
      const missing = (scenario.needs ?? []).filter((need) => !runtime.capabilities.has(need));
      const windowsReason = WINDOWS_SKIPS.get(scenario.name);
      if (missing.length > 0 || windowsReason !== undefined) {
        const reason = windowsReason ?? `no capability: ${missing.join(', ')}`;
        group.results.push({ name: scenario.name, status: 'skip', reason, ms: 0 });
        continue;
      }
      const limit =
        (scenario.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS) + (first ? STARTUP_ALLOWANCE_MS : 0);
      first = false;
      group.results.push(await timed(scenario.name, limit, () => fixture.run(scenario)));
      progress();
    }
  } finally {
    await fixture.stop();
  }
}
