// The golden vectors, decoded and encoded by the codec inside the driver's runtime.
import { readdirSync } from 'node:fs';
import { check, equal } from '../harness/assertions.ts';
import type { Scenario } from '../harness/scenario.ts';

/** The golden-vector scenario. */
export const vectorScenarios: readonly Scenario[] = [
  {
    name: 'golden vectors decode and encode byte for byte',
    async run({ driver, vectorsDir }) {
      const names = readdirSync(vectorsDir)
        .filter((file) => file.endsWith('.json'))
        .map((file) => file.slice(0, -'.json'.length))
        .sort();
      const results = await driver.ok('vectors', { dir: vectorsDir }, 60_000);
      equal(results.map((result) => result.name).sort(), names, 'every vector is checked');
      const failed = results.filter((result) => !result.decoded || !result.encoded);
      check(
        failed.length === 0,
        `${failed.length} vectors fail:\n${failed
          .map((r) => `  ${r.name}: decoded ${r.decoded}, encoded ${r.encoded}; ${r.detail ?? ''}`)
          .join('\n')}`,
      );
    },
  },
];
