// Every published package's `prepack` (scripts/prepack.mjs), on a copy of the protocol package
// laid out as in the repository: it builds a package that has no dist/, leaves a fresh dist/
// untouched (packing during a test run rewrites nothing), and rebuilds a stale one from
// scratch, dropping the outputs of sources since removed.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/paths.ts';

let copy: string;
let pkg: string;
const prepack = (): string =>
  execFileSync(process.execPath, [join(copy, 'scripts', 'prepack.mjs')], {
    cwd: pkg,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'pdbi-prepack-'));
  pkg = join(copy, 'packages', 'protocol');
  mkdirSync(join(copy, 'scripts'));
  mkdirSync(pkg, { recursive: true });
  cpSync(join(repoRoot, 'scripts', 'prepack.mjs'), join(copy, 'scripts', 'prepack.mjs'));
  cpSync(join(repoRoot, 'tsconfig.base.json'), join(copy, 'tsconfig.base.json'));
  for (const entry of ['package.json', 'tsconfig.build.json', 'src'])
    cpSync(join(repoRoot, 'packages', 'protocol', entry), join(pkg, entry), { recursive: true });
  symlinkSync(join(repoRoot, 'node_modules'), join(copy, 'node_modules'));
  symlinkSync(join(repoRoot, 'packages', 'protocol', 'node_modules'), join(pkg, 'node_modules'));
});

afterAll(() => {
  rmSync(copy, { recursive: true, force: true });
});

describe('prepack', () => {
  it('builds a package that has no dist/', () => {
    prepack();
    expect(existsSync(join(pkg, 'dist', 'index.js'))).toBe(true);
    expect(existsSync(join(pkg, 'dist', 'index.d.ts'))).toBe(true);
  }, 60_000);

  it('leaves a fresh dist/ as it is', () => {
    const before = statSync(join(pkg, 'dist', 'index.js')).mtimeMs;
    prepack();
    expect(statSync(join(pkg, 'dist', 'index.js')).mtimeMs).toBe(before);
  });

  it('rebuilds a dist/ holding outputs of a removed source, without them', () => {
    const orphan = join(pkg, 'dist', 'removed-source.js');
    writeFileSync(orphan, 'export {};\n');
    prepack();
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(join(pkg, 'dist', 'index.js'))).toBe(true);
  }, 60_000);

  it('rebuilds a dist/ older than a source', () => {
    const before = statSync(join(pkg, 'dist', 'index.js')).mtimeMs;
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(pkg, 'src', 'index.ts'), later, later);
    prepack();
    expect(statSync(join(pkg, 'dist', 'index.js')).mtimeMs).not.toBe(before);
  }, 60_000);
});
