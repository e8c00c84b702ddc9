import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWineTree } from '../src/wine-tree.ts';

const root = mkdtempSync(join(tmpdir(), 'pdbi-wine-tree-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function pkg(dir: string, name: string, dependencies: Record<string, string> = {}): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, dependencies }));
  writeFileSync(join(dir, 'index.js'), '');
}

function link(target: string, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path);
}

// A pnpm-shaped repository: app → w (workspace) → a → b, each third-party package in the
// store with its dependencies beside it, the workspace package with its own node_modules.
function repo(name: string, bVersionForApp?: string): string {
  const dir = join(root, name);
  const store = join(dir, 'node_modules', '.pnpm');
  pkg(join(store, 'a@1', 'node_modules', 'a'), 'a', { b: '1' });
  pkg(join(store, 'b@1', 'node_modules', 'b'), 'b');
  link(join(store, 'b@1', 'node_modules', 'b'), join(store, 'a@1', 'node_modules', 'b'));
  pkg(join(dir, 'packages', 'w'), 'w', { a: '1' });
  link(join(store, 'a@1', 'node_modules', 'a'), join(dir, 'packages', 'w', 'node_modules', 'a'));
  pkg(join(dir, 'app'), 'app', { w: '1', ...(bVersionForApp ? { b: bVersionForApp } : {}) });
  link(join(dir, 'packages', 'w'), join(dir, 'app', 'node_modules', 'w'));
  if (bVersionForApp) {
    pkg(join(store, 'b@2', 'node_modules', 'b'), 'b');
    link(join(store, 'b@2', 'node_modules', 'b'), join(dir, 'app', 'node_modules', 'b'));
  }
  pkg(join(root, 'natives', 'a-win32'), 'a-win32');
  return dir;
}

describe('the tree of links for Wine', () => {
  it('is flat, one folder per package, with no node_modules below the mirrored folders', () => {
    const dir = repo('flat');
    const tree = join(root, 'flat-tree');
    const count = buildWineTree(tree, {
      repo: dir,
      mirror: ['app'],
      link: [],
      extra: new Map([['a-win32', join(root, 'natives', 'a-win32')]]),
    });
    expect(count).toBe(4); // w, a, b and the native package
    for (const name of ['a', 'b', 'a-win32'])
      expect(lstatSync(join(tree, 'node_modules', name)).isSymbolicLink()).toBe(true);
    expect(realpathSync(join(tree, 'node_modules', 'b'))).toBe(
      realpathSync(join(dir, 'node_modules', '.pnpm', 'b@1', 'node_modules', 'b')),
    );
    // The workspace package and the mirrored folder: real folders of links, no node_modules.
    expect(lstatSync(join(tree, 'node_modules', 'w')).isDirectory()).toBe(true);
    expect(existsSync(join(tree, 'node_modules', 'w', 'node_modules'))).toBe(false);
    expect(existsSync(join(tree, 'node_modules', 'w', 'index.js'))).toBe(true);
    expect(existsSync(join(tree, 'app', 'node_modules'))).toBe(false);
    expect(readlinkSync(join(tree, 'app', 'package.json'))).not.toMatch(/^\//);
  });

  it('refuses two versions of one package', () => {
    const dir = repo('two', '2');
    expect(() =>
      buildWineTree(join(root, 'two-tree'), {
        repo: dir,
        mirror: ['app'],
        link: [],
        extra: new Map(),
      }),
    ).toThrow(/two versions of b/);
  });
});
