// `pnpm generate`: regenerates packages/protocol/src/gen from schema/pluresdb_ipc.fbs.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from './generate.ts';
import { outputDir, repoRoot, schemaPath } from './paths.ts';

const files = await generate(schemaPath, repoRoot);
mkdirSync(outputDir, { recursive: true });
const fresh = new Set(files.map((f) => f.path));
for (const stale of readdirSync(outputDir).filter((name) => !fresh.has(name))) {
  rmSync(join(outputDir, stale));
}
for (const file of files) writeFileSync(join(outputDir, file.path), file.text);
console.log(`generated ${files.length} files in ${outputDir}`);
