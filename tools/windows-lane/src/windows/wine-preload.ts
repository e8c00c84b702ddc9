// WINE ONLY: loaded into every Windows Node process of the lane (`--import`), never into
// what Windows users run. lmdb-js: on Windows LMDB maps data.mdb with a view larger than the file; real Windows
//    allows that, Wine refuses it (STATUS_INVALID_VIEW_SIZE) and `open()` never returns
//    (/work/shared/PLATFORMS.md, "lmdb-js on Windows Node under Wine"). What works: open with
//    `remapChunks`, close, extend data.mdb sparsely, open again with `remapChunks`. The
//    `lmdb` module is swapped for one whose `open` does that; packages/store is unchanged.
// Type-strippable TypeScript: Windows Node loads it without a build.
import { closeSync, existsSync, ftruncateSync, openSync, statSync } from 'node:fs';
import * as nodeModule from 'node:module';

/**
 * How far data.mdb is extended before the real open (sparse: no disk used). Reads fail once
 * the file outgrows it while open, so it is far beyond what the lane writes.
 */
const PRESIZE_BYTES = 4 * 1024 ** 3;
const WRAPPER_SCHEME = 'pluresdb-wine-lmdb:';

type LmdbOpen = (pathOrOptions: unknown, options?: unknown) => unknown;
type Closable = { close(): unknown };

/** `lmdb.open` as the lane runs it under Wine (see the top of this file). */
export function wineOpen(realOpen: LmdbOpen, pathOrOptions: unknown, options?: unknown): unknown {
  const given = (
    typeof pathOrOptions === 'string'
      ? { ...(options as object | undefined), path: pathOrOptions }
      : { ...(pathOrOptions as object) }
  ) as { path?: string; readOnly?: boolean };
  const wine = { ...given, remapChunks: true };
  const file = given.path;
  // data.mdb, and a backup's copy while it is still `data.mdb.partial` (store-backup.ts).
  if (!given.readOnly && typeof file === 'string' && /\.mdb(\.partial)?$/.test(file)) {
    if (!existsSync(file) || statSync(file).size < PRESIZE_BYTES) {
      // With no writes, close() releases the environment before it returns.
      (realOpen(wine) as Closable).close();
      const fd = openSync(file, 'r+');
      try {
        ftruncateSync(fd, PRESIZE_BYTES);
      } finally {
        closeSync(fd);
      }
    }
  }
  return realOpen(wine);
}

// `module.registerHooks` (Node 22.15+, synchronous, in-thread) is newer than the repository's
// @types/node (20): its shape, as far as used here.
interface Resolved {
  url: string;
  shortCircuit?: boolean;
}
interface Loaded {
  format: string;
  source: string;
  shortCircuit?: boolean;
}
interface Hooks {
  resolve(
    specifier: string,
    context: { parentURL?: string },
    next: (specifier: string, context: { parentURL?: string }) => Resolved,
  ): Resolved;
  load(url: string, context: object, next: (url: string, context: object) => Loaded): Loaded;
}
const { registerHooks } = nodeModule as unknown as { registerHooks(hooks: Hooks): void };

registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    if (specifier !== 'lmdb' || context.parentURL?.startsWith(WRAPPER_SCHEME)) return resolved;
    return { url: `${WRAPPER_SCHEME}${resolved.url}`, shortCircuit: true };
  },
  load(url, context, nextLoad) {
    if (!url.startsWith(WRAPPER_SCHEME)) return nextLoad(url, context);
    const real = JSON.stringify(url.slice(WRAPPER_SCHEME.length));
    const self = JSON.stringify(import.meta.url);
    const source = [
      `export * from ${real};`,
      `import { open as realOpen } from ${real};`,
      `import { wineOpen } from ${self};`,
      'export function open(pathOrOptions, options) {',
      '  return wineOpen(realOpen, pathOrOptions, options);',
      '}',
    ].join('\n');
    return { format: 'module', source, shortCircuit: true };
  },
});
