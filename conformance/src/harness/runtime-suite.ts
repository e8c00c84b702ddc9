// Every scenario against one runtime's client, as one describe block: the conformance suite's
// body, shared by the default runtimes (test/clients.test.ts) and the Node LTS lines
// (test/node-lines.test.ts).
import { afterAll, describe, it } from 'vitest';
import { scenarios } from '../scenarios/index.ts';
import type { RuntimeSpec } from './runtime-files.ts';
import { RuntimeFixture } from './runtime-fixture.ts';

const DEFAULT_SCENARIO_TIMEOUT_MS = 30_000;
/** Time for a runtime's first scenario to also start its server and driver (run in order). */
const STARTUP_ALLOWANCE_MS = 30_000;

/** Registers one test per scenario for `runtime`; scenarios needing a missing capability skip. */
export function describeRuntime(runtime: RuntimeSpec): void {
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
