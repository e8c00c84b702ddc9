// `pnpm generate` must work on a fresh install, before any build (issue #19, item 12): the
// vectors' generator reads the protocol package from its sources, not from its `dist/`. Run
// here as the package script runs it, in `--check` mode (nothing written), it also shows
// that the committed vectors are what the generator writes.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binDirs, conformanceDir } from '../src/paths.ts';

const scripts = JSON.parse(readFileSync(join(conformanceDir, 'package.json'), 'utf8')).scripts as {
  generate: string;
};

describe('the vectors generator', () => {
  it('reads the protocol package from its sources, and the committed vectors are fresh', () => {
    const run = spawnSync('sh', ['-c', `${scripts.generate} --check`], {
      cwd: conformanceDir,
      encoding: 'utf8',
      env: { ...process.env, PATH: [...binDirs, process.env.PATH].join(delimiter) },
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/protocol read from file:.*\/packages\/protocol\/src\/index\.ts/);
    expect(run.stdout).toMatch(/\d+ vectors checked, 0 stale/);
    expect(run.status).toBe(0);
  }, 60_000);
});
