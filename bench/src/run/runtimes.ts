// The client runtimes the benchmark compares, and how to start each one. Bun and Deno come
// from their npm packages (devDependencies), found in a node_modules/.bin above this file.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A client runtime. */
export type RuntimeName = 'node' | 'bun' | 'deno';

/** Every runtime with a client package. */
export const runtimeNames: readonly RuntimeName[] = ['node', 'bun', 'deno'];

/** The npm-installed executable `name`, searching node_modules/.bin upwards from here. */
function findBin(name: string): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'node_modules', '.bin', name);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The command line that runs a script in `runtime`, or undefined when it is not installed.
 * Deno reads packages from node_modules (`--node-modules-dir=manual`); its client needs only
 * `--allow-ffi`, the default `denoPermissions`.
 */
export function runtimeCommand(
  runtime: RuntimeName,
  denoPermissions: readonly string[] = ['--allow-ffi'],
): string[] | undefined {
  if (runtime === 'node') return [process.execPath];
  const bin = findBin(runtime);
  if (bin === undefined) return undefined;
  return runtime === 'bun' ? [bin] : [bin, 'run', ...denoPermissions, '--node-modules-dir=manual'];
}
