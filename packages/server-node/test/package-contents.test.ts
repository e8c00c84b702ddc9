// The server package holds the server, its CLI and the demo; the benchmark, with its HTTP
// baseline and undici, is the bench/ package at the repository root (issue #20, item 2).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('../', import.meta.url));
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
  scripts: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

/** Every file under `dir`, as paths relative to the package. */
function filesUnder(dir: string): string[] {
  return readdirSync(join(packageDir, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('the server package', () => {
  it('exports, runs and depends on nothing of the benchmark', () => {
    expect(Object.keys(manifest.exports).filter((path) => path.includes('bench'))).toEqual([]);
    expect(Object.keys(manifest.scripts)).not.toContain('bench');
    expect({ ...manifest.dependencies, ...manifest.devDependencies }).not.toHaveProperty('undici');
  });

  it('has no benchmark code in src/', () => {
    const sources = filesUnder('src');
    expect(sources.filter((path) => path.includes('bench'))).toEqual([]);
    for (const path of sources) {
      const text = readFileSync(join(packageDir, path), 'utf8');
      expect(text, path).not.toMatch(/from '(undici|[^']*\/bench\/[^']*)'/);
    }
  });
});
