// The golden vectors, checked by the codec inside the driver's runtime. Decoding each to its
// JSON's values is required of every implementation (spec/versioning.md#golden-vectors);
// encoding each to flatc's exact bytes is not (spec/messages.md#encoding), so it is the
// optional capability `flatcBytes`.
import { readdirSync } from 'node:fs';
import { check, equal } from '../harness/assertions.ts';
import type { DriverClient } from '../harness/driver-client.ts';
import type { VectorResultJson } from '../harness/driver-protocol.ts';
import type { Scenario, ScenarioContext } from '../harness/scenario.ts';

/** The golden-vector scenarios. */
export const vectorScenarios: readonly Scenario[] = [
  {
    name: 'golden vectors decode to their JSON values',
    async run(context) {
      const results = await checkedVectors(context);
      expectAll(results, 'decoded', (result) => result.decoded);
    },
  },
  {
    name: "golden vectors encode to flatc's bytes",
    needs: ['flatcBytes'],
    async run(context) {
      const results = await checkedVectors(context);
      expectAll(results, 'encoded', (result) => result.encoded);
    },
  },
];

/**
 * Each driver's answer to `vectors`, asked once: both scenarios read it, and checking the
 * vectors takes seconds (the 1 MiB vector's JSON is 4 MB of numbers to parse exactly).
 */
const answers = new WeakMap<DriverClient, Promise<readonly VectorResultJson[]>>();

/** The driver's verdict on every vector of the folder; each vector must be named once. */
async function checkedVectors({
  driver,
  vectorsDir,
}: ScenarioContext): Promise<readonly VectorResultJson[]> {
  const names = readdirSync(vectorsDir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
  let answer = answers.get(driver);
  if (!answer) {
    answer = driver.ok('vectors', { dir: vectorsDir }, 60_000);
    answers.set(driver, answer);
  }
  const results = await answer;
  equal(results.map((result) => result.name).sort(), names, 'every vector is checked');
  return results;
}

function expectAll(
  results: readonly VectorResultJson[],
  what: string,
  passed: (result: VectorResultJson) => boolean,
): void {
  const failed = results.filter((result) => !passed(result));
  check(
    failed.length === 0,
    `${failed.length} vectors not ${what}:\n${failed
      .map((r) => `  ${r.name}: decoded ${r.decoded}, encoded ${r.encoded}; ${r.detail ?? ''}`)
      .join('\n')}`,
  );
}
