// The codec's layers (src/codec/frame-codec.ts): wire/ < gen/ < codec/. wire/ imports nothing
// from gen/ or codec/, gen/ nothing from codec/, and outside codec/ only the facade is
// imported, so no caller names a template or a shape.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const src = new URL('../src/', import.meta.url);

/** Every source file under src/, as a path relative to it. */
function sources(): string[] {
  return readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((path) =>
    path.endsWith('.ts'),
  );
}

/** The modules a file imports, as written. */
function importsOf(path: string): string[] {
  const text = readFileSync(new URL(path, src), 'utf8');
  return [...text.matchAll(/from '([^']+)'/g)].map((match) => match[1] as string);
}

describe('codec layers', () => {
  it('keeps wire/ below gen/ and codec/', () => {
    const breaches: string[] = [];
    for (const path of sources().filter((path) => path.startsWith('wire/'))) {
      for (const target of importsOf(path)) {
        if (/(^|\/)(gen|codec)\//.test(target)) breaches.push(`${path} imports ${target}`);
      }
    }
    expect(breaches).toEqual([]);
    expect(sources().filter((path) => path.startsWith('wire/')).length).toBeGreaterThan(3);
  });

  it('keeps gen/ below codec/, and every caller on the facade', () => {
    const breaches: string[] = [];
    for (const path of sources()) {
      if (path.startsWith('codec/')) continue;
      for (const target of importsOf(path).filter((module) => module.includes('codec/'))) {
        const low = path.startsWith('wire/') || path.startsWith('gen/');
        const facade = target.endsWith('codec/frame-codec.ts');
        if (low || !facade) breaches.push(`${path} imports ${target}`);
      }
    }
    expect(breaches).toEqual([]);
    expect(sources().filter((path) => path.startsWith('codec/')).length).toBeGreaterThan(3);
  });
});
