// better-sqlite3 is a native addon and the workspace install skips install scripts (pnpm's
// default; its own would fetch a prebuilt binary from GitHub), so a fresh checkout has its
// JavaScript but no compiled SQLite. The benchmark builds it once, on first use, with node-gyp
// from npm: about two minutes on two cores, printed, and skipped with the reason if it fails.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import process from 'node:process';

const require = createRequire(import.meta.url);
const NODE_GYP = 'node-gyp@13.1.0';

/** Whether better-sqlite3 opens a database in a fresh Node process (its addon is built). */
export function sqliteAddonLoads(): boolean {
  const probe = "new (require('better-sqlite3'))(':memory:').close()";
  const { status } = spawnSync(process.execPath, ['-e', probe], {
    cwd: dirname(require.resolve('better-sqlite3/package.json')),
    stdio: 'ignore',
  });
  return status === 0;
}

/** npm's `nodedir` setting (headers installed with Node, as Debian's are), when it has one. */
function npmNodedir(): string | undefined {
  const { stdout, status } = spawnSync('npm', ['config', 'get', 'nodedir'], { encoding: 'utf8' });
  const dir = stdout?.trim();
  return status === 0 && dir !== undefined && dir !== '' && dir !== 'undefined' ? dir : undefined;
}

/**
 * Makes sure better-sqlite3's addon is built, building it when it is not; undefined when it
 * loads, otherwise why the SQLite baseline cannot run.
 */
export function ensureSqliteAddon(say: (line: string) => void): string | undefined {
  let packageDir: string;
  try {
    packageDir = dirname(require.resolve('better-sqlite3/package.json'));
  } catch {
    return 'better-sqlite3 is not installed (run the install first)';
  }
  if (sqliteAddonLoads()) return undefined;
  say(`building better-sqlite3's addon once (SQLite from source, ~2 min, ${NODE_GYP})`);
  const nodedir = npmNodedir();
  const build = spawnSync(
    'npx',
    [
      '-y',
      NODE_GYP,
      'rebuild',
      '--release',
      `-j`,
      String(availableParallelism()),
      ...(nodedir === undefined ? [] : [`--nodedir=${nodedir}`]),
    ],
    { cwd: packageDir, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] },
  );
  if (build.status !== 0) {
    const last = (build.stderr ?? '').trim().split('\n').slice(-1)[0] ?? '';
    return `better-sqlite3's addon did not build (node-gyp: ${last || build.error?.message})`;
  }
  return sqliteAddonLoads() ? undefined : "better-sqlite3's addon built but does not load";
}
