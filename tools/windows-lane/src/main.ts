// `pnpm test:windows`: the Windows test lane under Wine. Sets up what it needs (Wine, a
// prefix, Windows Node and Bun, the win32 native packages), runs the Windows-side runner
// (src/windows/runner.ts) under one wineserver, prints its results and exits non-zero when a
// scenario failed. Needs the workspace built (the root script builds it first).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lanePaths, repoRoot, windowsPath } from './lane-paths.ts';
import { type LaneResults, tally } from './lane-results.ts';
import { ensureBunForwarder, ensureWindowsPackages } from './windows-packages.ts';
import { ensurePrefix, ensureWine, startWindows, startWineserver, stopWineserver } from './wine.ts';
import { buildWineTree } from './wine-tree.ts';

/** The whole runner's limit: the lane must end, whatever hangs under Wine. */
const RUNNER_LIMIT_MS = 15 * 60_000;

const started = performance.now();
const log = (line: string): void => console.log(`windows-lane: ${line}`);
const seconds = (): string => `${((performance.now() - started) / 1000).toFixed(1)} s`;

const skip = ensureWine(log);
if (skip !== undefined) {
  log(`SKIPPED: ${skip}`);
  process.exit(0);
}
const paths = lanePaths();
log(`cache: ${paths.cache} (delete it to start cold)`);
ensurePrefix(paths.prefix, log);
const tools = ensureWindowsPackages(paths.packages, log);
ensureBunForwarder(paths.prefix);
const tree = paths.tree;
buildWineTree(tree, {
  repo: repoRoot,
  mirror: [
    'conformance',
    'tools/windows-lane',
    'packages/server-node',
    'packages/client-node',
    'packages/client-bun',
  ],
  link: ['schema'],
  extra: tools.natives,
});
rmSync(paths.run, { recursive: true, force: true });
mkdirSync(paths.run, { recursive: true });
log(`set up in ${seconds()}`);

const resultsFile = join(paths.run, 'results.json');
const preload = windowsPath(join(tree, 'tools/windows-lane/src/windows/wine-preload.ts'));
// The preload reaches every Windows Node process through NODE_OPTIONS, including the
// servers the harness starts with `process.execPath` alone.
const nodeOptions = `--import=file:///${preload.replaceAll('\\', '/')}`;
// TypeScript drivers and the runner: the harness uses parameter properties (not strippable).
const nodeArgs = ['--no-warnings', '--experimental-transform-types'];
const configFile = join(paths.run, 'runner.json');
writeFileSync(
  configFile,
  JSON.stringify({
    results: windowsPath(resultsFile),
    bun: windowsPath(tools.bun),
    nodeArgs,
    runtimes: (process.env.PLURESDB_WINDOWS_LANE_RUNTIMES ?? 'node,bun').split(','),
    ...(process.env.PLURESDB_WINDOWS_LANE_ONLY
      ? { only: process.env.PLURESDB_WINDOWS_LANE_ONLY }
      : {}),
  }),
);

startWineserver(paths.prefix);
// Interrupted: no Windows process or wineserver of the lane outlives it.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopWineserver(paths.prefix);
    process.exit(1);
  });
}
let results: LaneResults | undefined;
try {
  const runner = startWindows(
    paths.prefix,
    tools.node,
    [
      ...nodeArgs,
      windowsPath(join(tree, 'tools/windows-lane/src/windows/runner.ts')),
      windowsPath(configFile),
    ],
    join(paths.run, 'runner'),
    { NODE_OPTIONS: nodeOptions },
  );
  const timer = setTimeout(() => runner.child.kill('SIGKILL'), RUNNER_LIMIT_MS);
  const code = await runner.exited;
  clearTimeout(timer);
  try {
    results = JSON.parse(readFileSync(resultsFile, 'utf8')) as LaneResults;
  } catch {
    log(`the runner wrote no results (exit ${code}); its stderr:`);
    console.log(readFileSync(runner.stderrFile, 'utf8').slice(-4000));
  }
} finally {
  stopWineserver(paths.prefix);
}

let failed = results === undefined;
for (const group of results?.groups ?? []) {
  const counts = tally(group);
  log(`${group.name}: ${counts.pass} passed, ${counts.fail} failed, ${counts.skip} skipped`);
  for (const result of group.results) {
    if (result.status === 'pass') {
      if (result.detail !== undefined) log(`  pass ${result.name}: ${result.detail}`);
      continue;
    }
    const mark = result.status === 'fail' ? 'FAIL' : 'skip';
    log(`  ${mark} ${result.name}: ${result.reason ?? ''}`.trimEnd());
  }
  if (counts.fail > 0) failed = true;
}
if (results?.error !== undefined) {
  failed = true;
  log(`the runner failed: ${results.error}`);
}
for (const figure of results?.figures ?? [])
  log(`figure (Wine, not Windows): ${figure.name}: ${figure.value}`);
log(`logs: ${paths.run} (every Windows program's stdout and stderr)`);
log(`${failed ? 'FAILED' : 'passed'} in ${seconds()}`);
process.exit(failed ? 1 : 0);
