// Every published package's `prepack`: builds the package, and first the workspace packages it
// depends on, whose dist/ its own build reads (their types), so that packing right after a
// clone and an install gives a tarball with dist/. A stale dist/ (older than a source, or holding
// outputs of a source since removed) is removed and built afresh, so the tarball holds exactly
// what the sources give; a fresh one is left as it is, so packing during a test run never
// rewrites files other tests are reading.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const packagesDir = new URL('../packages/', import.meta.url).pathname;
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** The workspace's publishable packages by name: their folder and workspace dependencies. */
const workspace = new Map(
  readdirSync(packagesDir).flatMap((folder) => {
    const dir = join(packagesDir, folder);
    const manifestPath = join(dir, 'package.json');
    if (!existsSync(manifestPath)) return [];
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const deps = Object.entries(manifest.dependencies ?? {})
      .filter(([, spec]) => String(spec).startsWith('workspace:'))
      .map(([name]) => name);
    return [[manifest.name, { dir, deps }]];
  }),
);

/** Every file under `path` (or `path` itself), with its modification time in ms. */
function files(path) {
  if (!existsSync(path)) return [];
  const stat = statSync(path);
  if (!stat.isDirectory()) return [{ path, mtime: stat.mtimeMs }];
  return readdirSync(path).flatMap((entry) => files(join(path, entry)));
}

/** True when `output` (dist/x.js, .d.ts, .js.map) has no source (src/x.ts) any more. */
function orphan(dir, output) {
  const base = output.slice(join(dir, 'dist').length).replace(/\.(d\.ts|js\.map|js)$/, '');
  return !existsSync(join(dir, 'src', `${base}.ts`));
}

const built = new Map();

/** Builds `name` after its dependencies when it is out of date; true if it was built now. */
function build(name) {
  if (built.has(name)) return built.get(name);
  const entry = workspace.get(name);
  if (!entry) throw new Error(`prepack: ${name} is not a package under packages/`);
  const depsBuilt = entry.deps.map(build).some(Boolean);
  const outputs = files(join(entry.dir, 'dist'));
  const inputs = [
    ...files(join(entry.dir, 'src')),
    ...files(join(entry.dir, 'tsconfig.build.json')),
    ...files(join(packagesDir, '..', 'tsconfig.base.json')),
  ];
  const newestInput = Math.max(...inputs.map((file) => file.mtime));
  const stale =
    depsBuilt ||
    outputs.length === 0 ||
    outputs.some((file) => file.mtime < newestInput || orphan(entry.dir, file.path));
  if (stale) {
    console.error(`prepack: building ${name}`);
    rmSync(join(entry.dir, 'dist'), { recursive: true, force: true });
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
      cwd: entry.dir,
      stdio: 'inherit',
    });
  }
  built.set(name, stale);
  return stale;
}

const self = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')).name;
build(self);
