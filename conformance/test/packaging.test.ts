// Every published package installed the way an app gets it: packed with pnpm (its `prepack`
// builds what is out of date; pnpm turns workspace: ranges into versions), the tarballs
// installed with npm into an empty app (third-party dependencies from the registry). The app
// starts its own server with the installed `startServer` and uses it from Node (type-checked
// against the published types), from Bun, and from Deno (an `npm:` import mapped in a
// deno.json); then the same Node app runs under each pinned Node LTS line.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshChannel } from '../src/harness/server-control.ts';
import { nodeLines, nodeLinesUnavailable } from '../src/node-lines.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const appSources = fileURLToPath(new URL('../packaging/', import.meta.url));
const packages = ['protocol', 'store', 'server-node', 'client-node', 'client-bun', 'client-deno'];
const clients = ['client-node', 'client-bun', 'client-deno'];
const appFiles = ['app-server.ts', 'app-node.ts', 'app-bun.ts', 'app-deno.ts', 'deno.json'];

/** pnpm as this test was started with (`pnpm test` sets npm_execpath), else the pinned one. */
function pnpm(args: readonly string[], cwd: string): void {
  const execPath = process.env.npm_execpath;
  if (execPath?.includes('pnpm'))
    execFileSync(process.execPath, [execPath, ...args], { cwd, stdio: 'pipe' });
  else execFileSync('npx', ['-y', 'pnpm@10.34.8', ...args], { cwd, stdio: 'pipe' });
}

interface Manifest {
  name: string;
  description?: string;
  license?: string;
  keywords?: string[];
  repository?: { type: string; url: string; directory: string };
  engines?: Record<string, string>;
  bin?: Record<string, string>;
  exports?: unknown;
  dependencies?: Record<string, string>;
}

let dir: string;
let app: string;
const tarball = (name: string) => join(dir, `pluresdb-ipc-${name}-0.1.0.tgz`);
const filesOf = (name: string): string[] =>
  execFileSync('tar', ['-tzf', tarball(name)], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((path) => path.replace(/^package\//, ''));
const manifestOf = (name: string): Manifest =>
  JSON.parse(
    execFileSync('tar', ['-xzOf', tarball(name), 'package/package.json'], { encoding: 'utf8' }),
  ) as Manifest;
/** Runs a command in the app; a failure's error carries what the command printed. */
function run(
  command: string,
  args: readonly string[],
  input = '',
  env: NodeJS.ProcessEnv = process.env,
): string {
  try {
    return execFileSync(command, args, {
      cwd: app,
      encoding: 'utf8',
      timeout: 60_000,
      input,
      env,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

/** Every path an `exports` map points at. */
function exportTargets(exports: unknown): string[] {
  if (typeof exports === 'string') return [exports];
  if (exports === null || typeof exports !== 'object') return [];
  return Object.values(exports).flatMap(exportTargets);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pdbi-packaging-'));
  for (const name of packages)
    pnpm(['pack', '--pack-destination', dir], join(root, 'packages', name));
  app = join(dir, 'app');
  mkdirSync(app);
  const dependencies = Object.fromEntries(
    packages.map((name) => [`@pluresdb-ipc/${name}`, `file:../pluresdb-ipc-${name}-0.1.0.tgz`]),
  );
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'app', private: true, type: 'module', dependencies }, null, 2),
  );
  for (const file of appFiles) copyFileSync(join(appSources, file), join(app, file));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: app,
    stdio: 'pipe',
  });
  // Node 20 cannot run TypeScript: compile the app with the published types, run the output.
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const types = ['--types', 'node', '--typeRoots', join(root, 'node_modules/@types')];
  // skipLibCheck, as `tsc --init` sets it: importing the server's types reaches lmdb's
  // index.d.ts (through the store's), whose `export =` fails in an ES module app (TS1203).
  // The app's own use of the published types is still checked.
  const options = [
    '--strict',
    '--skipLibCheck',
    '--module',
    'nodenext',
    '--target',
    'es2022',
    '--outDir',
    'out',
  ];
  run(process.execPath, [tsc, ...options, ...types, 'app-node.ts']);
}, 180_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the tarballs', () => {
  it('hold dist/, types, README and LICENSE, and every file their exports and bin name', () => {
    expect(readdirSync(dir).filter((file) => file.endsWith('.tgz'))).toHaveLength(packages.length);
    for (const name of packages) {
      const files = filesOf(name);
      for (const file of ['package.json', 'README.md', 'LICENSE', 'dist/index.js'])
        expect(files, `${name}: ${file}`).toContain(file);
      expect(files, `${name}: types`).toContain('dist/index.d.ts');
      const manifest = manifestOf(name);
      const targets = [...exportTargets(manifest.exports), ...Object.values(manifest.bin ?? {})];
      for (const target of targets)
        expect(files, `${name}: ${target}`).toContain(target.replace(/^\.\//, ''));
    }
  });

  it('name their repository, keywords, engines and license, with versions for workspace: ranges', () => {
    for (const name of packages) {
      const manifest = manifestOf(name);
      expect(manifest.description, name).toMatch(/^PluresDB IPC /);
      expect(manifest.license, name).toBe('MIT');
      expect(manifest.keywords?.length, name).toBeGreaterThan(0);
      expect(manifest.repository?.directory, name).toBe(`packages/${name}`);
      expect(manifest.repository?.url, name).toMatch(/^git\+https:\/\/.+\.git$/);
      expect(Object.keys(manifest.engines ?? {}).length, name).toBeGreaterThan(0);
      for (const [dependency, range] of Object.entries(manifest.dependencies ?? {}))
        expect(range, `${name} → ${dependency}`).not.toMatch(/^workspace:/);
    }
    expect(manifestOf('client-deno').dependencies?.['@pluresdb-ipc/protocol']).toBe('0.1.0');
  });

  it("of a client needs no other runtime's client", () => {
    for (const name of clients) {
      const dependencies = Object.keys(manifestOf(name).dependencies ?? {});
      const others = clients.filter((other) => other !== name).map((c) => `@pluresdb-ipc/${c}`);
      expect(
        dependencies.filter((dependency) => others.includes(dependency)),
        name,
      ).toEqual([]);
    }
  });
});

describe('an app installed from the tarballs', () => {
  const channel = freshChannel('packaging');
  let owner: ChildProcess | undefined;
  let output = '';
  const lineSeen = (prefix: string): Promise<void> =>
    new Promise((resolve) => {
      createInterface({ input: owner?.stdout as NodeJS.ReadableStream }).on('line', (line) => {
        output += `${line}\n`;
        if (line.startsWith(prefix)) resolve();
      });
    });

  afterAll(() => {
    owner?.kill('SIGKILL');
  });

  it(`starts its server with the installed startServer and uses it from Node ${process.versions.node}`, async () => {
    owner = spawn(process.execPath, ['out/app-node.js', channel, join(dir, 'data')], {
      cwd: app,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = once(owner, 'exit').then(() => {
      throw new Error(`the app exited early: ${output}`);
    });
    await Promise.race([lineSeen('serving '), exited]);
    exited.catch(() => undefined);
    expect(output).toContain('"got":{"from":"node"},"watched":"packaging/node"');
  });

  it('is used from Bun', () => {
    expect(run(bin('bun'), ['app-bun.ts', channel])).toContain(
      '{"got":{"from":"bun"},"watched":"packaging/bun","node":{"from":"node"}}',
    );
  });

  it('is used from Deno with only --allow-ffi, and type-checks', () => {
    run(bin('deno'), ['check', 'app-deno.ts']);
    expect(run(bin('deno'), ['run', '--allow-ffi', 'app-deno.ts', channel])).toContain(
      '{"got":{"from":"deno"},"watched":"packaging/deno","node":{"from":"node"}}',
    );
  });

  it('stops its server cleanly', async () => {
    if (!owner) throw new Error('the app did not start');
    const exited = once(owner, 'exit');
    owner.stdin?.end();
    const [code] = await exited;
    expect(output).toContain('server stopped: exit 0');
    expect(code).toBe(0);
  });
});

if (nodeLinesUnavailable !== undefined) console.log(`Node lines skipped: ${nodeLinesUnavailable}`);
describe.skipIf(nodeLinesUnavailable !== undefined)('the same app under each Node line', () => {
  for (const line of nodeLines) {
    // In cage mode (Electron's conditions, spec/transport.md#mapping-in-a-caged-runtime): the
    // app's client and the server it starts (which inherits the environment) both.
    it(`starts, uses and stops its server under Node ${line.version}, in cage mode`, () => {
      const channel = freshChannel(line.name);
      const data = join(dir, `data-${line.name}`);
      const env = { ...process.env, PLURESDB_IPC_ELECTRON_CAGE: '1' };
      const output = run(line.execPath, ['out/app-node.js', channel, data], '', env);
      expect(output).toContain(`{"node":"${line.version}","got":{"from":"node"}`);
      expect(output).toContain('"cage":true');
      expect(output).toContain('server stopped: exit 0');
    });
  }
});
