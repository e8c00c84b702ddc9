// Each client package installed on its own, the way an app gets it: packed with pnpm (which
// turns workspace: ranges into versions), installed with npm into an empty app, then used
// from Node, from Bun, and from Deno through an `npm:` import mapped in a deno.json.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshChannel, ServerHandle } from '../src/harness/server-control.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const appSources = fileURLToPath(new URL('../packaging/', import.meta.url));
const packages = ['protocol', 'client-node', 'client-bun', 'client-deno'];

/** pnpm as this test was started with (`pnpm test` sets npm_execpath), else the pinned one. */
function pnpm(args: readonly string[], cwd: string): void {
  const execPath = process.env.npm_execpath;
  if (execPath?.includes('pnpm'))
    execFileSync(process.execPath, [execPath, ...args], { cwd, stdio: 'pipe' });
  else execFileSync('npx', ['-y', 'pnpm@10.34.8', ...args], { cwd, stdio: 'pipe' });
}

let dir: string;
let server: ServerHandle;
const run = (command: string, args: readonly string[]): string =>
  execFileSync(command, args, { cwd: join(dir, 'app'), encoding: 'utf8', timeout: 60_000 });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pdbi-packaging-'));
  for (const name of packages)
    pnpm(['pack', '--pack-destination', dir], join(root, 'packages', name));
  const tarballs = readdirSync(dir).filter((file) => file.endsWith('.tgz'));
  const app = join(dir, 'app');
  execFileSync('mkdir', [app]);
  const dependencies = Object.fromEntries(
    tarballs.map((file) => [
      `@pluresdb-ipc/${file.replace(/^pluresdb-ipc-(.*)-\d+\.\d+\.\d+\.tgz$/, '$1')}`,
      `file:../${file}`,
    ]),
  );
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'app', private: true, type: 'module', dependencies }, null, 2),
  );
  for (const file of ['app-node.ts', 'app-bun.ts', 'app-deno.ts', 'deno.json']) {
    copyFileSync(join(appSources, file), join(app, file));
  }
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: app,
    stdio: 'pipe',
  });
  server = await ServerHandle.start(freshChannel('packaging'));
}, 180_000);

afterAll(async () => {
  await server?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('client packages installed from their tarballs', () => {
  it('packs with versions instead of workspace: ranges', () => {
    const manifest = JSON.parse(
      execFileSync(
        'tar',
        ['-xzOf', join(dir, 'pluresdb-ipc-client-deno-0.1.0.tgz'), 'package/package.json'],
        {
          encoding: 'utf8',
        },
      ),
    ) as { dependencies: Record<string, string> };
    expect(manifest.dependencies['@pluresdb-ipc/protocol']).toBe('0.1.0');
  });

  it('works from Node, type-checked against its published types', () => {
    // Node 20 cannot run TypeScript: compile the app with its types, then run the output.
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    const types = ['--types', 'node', '--typeRoots', join(root, 'node_modules/@types')];
    const options = ['--strict', '--module', 'nodenext', '--target', 'es2022', '--outDir', 'out'];
    run(process.execPath, [tsc, ...options, ...types, 'app-node.ts']);
    expect(run(process.execPath, ['out/app-node.js', server.channel])).toContain('{"from":"node"}');
  });

  it('works from Bun', () => {
    expect(run(bin('bun'), ['app-bun.ts', server.channel])).toContain('{"from":"bun"}');
  });

  it('works from Deno with only --allow-ffi, and type-checks', () => {
    run(bin('deno'), ['check', 'app-deno.ts']);
    expect(run(bin('deno'), ['run', '--allow-ffi', 'app-deno.ts', server.channel])).toContain(
      '{"from":"deno"}',
    );
  });
});
