// The conformance suite: every scenario against every runtime's client (runtimes/*.json, or
// those named in CONFORMANCE_RUNTIMES), each through its driver process and a real server;
// then clients of several runtimes together on one server.
import { describe, expect, it } from 'vitest';
import { withParticipants } from '../src/harness/cross-fixture.ts';
import { withKnownFailures } from '../src/harness/known-failures.ts';
import { CAPABILITIES, selectedRuntimes } from '../src/harness/runtime-files.ts';
import { describeRuntime } from '../src/harness/runtime-suite.ts';
import { CROSS_RUNTIME_SCENARIO, crossRuntime } from '../src/scenarios/cross-runtime.ts';
import { scenarios } from '../src/scenarios/index.ts';

const runtimes = selectedRuntimes();

describe('runtime files', () => {
  it('name only existing scenarios, each once', () => {
    const names = new Set([...scenarios.map((scenario) => scenario.name), CROSS_RUNTIME_SCENARIO]);
    expect(names.size).toBe(scenarios.length + 1);
    for (const runtime of runtimes) {
      const listed = runtime.knownFailures.map((failure) => failure.scenario);
      for (const scenario of listed)
        expect(names.has(scenario), `${runtime.file}: "${scenario}"`).toBe(true);
      expect(new Set(listed).size, `${runtime.file}: duplicate entries`).toBe(listed.length);
    }
    for (const scenario of scenarios) {
      for (const need of scenario.needs ?? []) expect(Object.keys(CAPABILITIES)).toContain(need);
    }
  });
});

for (const runtime of runtimes) describeRuntime(runtime);

describe('cross-runtime', () => {
  // Writer, watcher and reader: the selected runtimes in turn (node, bun, deno by default;
  // node three times when only node is selected).
  const participants = [0, 1, 2]
    .map((i) => runtimes[i % runtimes.length])
    .filter((r) => r !== undefined);
  it(
    `cross-runtime: ${CROSS_RUNTIME_SCENARIO} (${participants.map((r) => r.name).join(', ')})`,
    () =>
      withKnownFailures(participants, CROSS_RUNTIME_SCENARIO, () =>
        withParticipants(participants, crossRuntime),
      ),
    90_000,
  );
});
