// Where the lane keeps what it installs: one cache directory per checkout, inside its
// node_modules (never tracked, removed with it), or PLURESDB_WINDOWS_LANE_CACHE.
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The lane's directories, all under one cache directory. */
export interface LanePaths {
  readonly cache: string;
  /** The Wine prefix (a whole Windows installation, ~1.6 GB once). */
  readonly prefix: string;
  /** Windows Node, Windows Bun and the win32 native packages, installed by npm. */
  readonly packages: string;
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
    run: join(cache, 'run'),
  };
}

/** The path a Windows program sees for a Linux path: Wine maps `/` to drive Z:. */
export function windowsPath(linuxPath: string): string {
  return `Z:${resolve(linuxPath).split(sep).join('\\')}`;
}
