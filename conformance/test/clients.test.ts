// The conformance suite: every scenario against every runtime's client (runtimes/*.json, or
// those named in CONFORMANCE_RUNTIMES), each through its driver process and a real server;
// then clients of several runtimes together on one server.
import { afterAll, describe, expect, it } from 'vitest';
import { withParticipants } from '../src/harness/cross-fixture.ts';
import { withKnownFailures } from '../src/harness/known-failures.ts';
import { CAPABILITIES, selectedRuntimes } from '../src/harness/runtime-files.ts';
import { RuntimeFixture } from '../src/harness/runtime-fixture.ts';
import { CROSS_RUNTIME_SCENARIO, crossRuntime } from '../src/scenarios/cross-runtime.ts';
import { scenarios } from '../src/scenarios/index.ts';

const runtimes = selectedRuntimes();
const DEFAULT_SCENARIO_TIMEOUT_MS = 30_000;
/** Time for a runtime's first scenario to also start its server and driver (run in order). */
const STARTUP_ALLOWANCE_MS = 30_000;

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

for (const runtime of runtimes) {
  describe(runtime.name, () => {
    const fixture = new RuntimeFixture(runtime);
    afterAll(() => fixture.stop(), 30_000);
    let first = true;
    for (const scenario of scenarios) {
      const title = `${runtime.name}: ${scenario.name}`;
      const missing = (scenario.needs ?? []).filter((need) => !runtime.capabilities.has(need));
      if (missing.length > 0) {
        it.skip(`${title} (no capability: ${missing.join(', ')})`, () => {});
        continue;
      }
      const timeout =
        (scenario.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS) + (first ? STARTUP_ALLOWANCE_MS : 0);
      first = false;
      it(title, () => fixture.run(scenario), timeout);
    }
  });
}

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
