// Where the lane keeps things. What it installs (the Wine prefix, the Windows packages) goes to
// one cache directory per checkout inside its node_modules (never tracked, removed with it), or
// PLURESDB_WINDOWS_LANE_CACHE. The tree of links and the run's logs go to tools/windows-lane/
// .lane/ (ignored by git): Node refuses to strip types of files below a node_modules folder.
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The lane's directories, all under one cache directory. */
export interface LanePaths {
  readonly cache: string;
  /** The Wine prefix (a whole Windows installation, ~0.7 GB). */
  readonly prefix: string;
  /** Windows Node, Windows Bun and the win32 native packages, installed by npm. */
  readonly packages: string;
  /** The tree of links the Windows programs run from (wine-tree.ts). */
  readonly tree: string;
  /** Everything of one run: logs of every Windows program, the results file. */
  readonly run: string;
}

/** The lane's directories: `PLURESDB_WINDOWS_LANE_CACHE` or node_modules/.cache/. */
export function lanePaths(env = process.env): LanePaths {
  const cache = resolve(
    env.PLURESDB_WINDOWS_LANE_CACHE ?? join(repoRoot, 'node_modules', '.cache', 'windows-lane'),
  );
  return {
    cache,
    prefix: join(cache, 'wine-prefix'),
    packages: join(cache, 'windows-packages'),
    tree: join(repoRoot, 'tools', 'windows-lane', '.lane', 'tree'),
    run: join(repoRoot, 'tools', 'windows-lane', '.lane', 'run'),
  };
}

/** The path a Windows program sees for a Linux path: Wine maps `/` to drive Z:. */
export function windowsPath(linuxPath: string): string {
  return `Z:${resolve(linuxPath).split(sep).join('\\')}`;
}
