// Runtime files (runtimes/<name>.json): how to start a runtime's driver, which optional
// capabilities its client has, and which scenarios are known to fail on it, with why.
import { readdirSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve, sep } from 'node:path';
import { binDirs, conformanceDir, runtimesDir } from '../paths.ts';
import type { DriverLaunch } from './driver-client.ts';

/** Optional features a scenario may need; a runtime without one skips those scenarios. */
export const CAPABILITIES = {
  /** Blocking `*Sync` variants of put, patch, get, getBytes, delete, list, batch, stats, ping. */
  sync: 'blocking *Sync variants of the operations',
  /** Per-request cancellation (`abortBefore`, `abortAfterMs`). */
  abort: 'cancelling a request through an abort signal',
  /** Reconnecting after a server restart, and the `whileDisconnected` option. */
  reconnect: 'reconnecting on its own after the server restarts',
  /** The `waitForServer` connect option: connecting waits for a server that is starting. */
  waitForServer: 'connect waits for a server that is starting',
  /** Strings that can hold lone UTF-16 surrogates (JavaScript strings can, UTF-8 strings cannot). */
  loneSurrogates: 'keys with lone UTF-16 surrogates can be expressed',
  /**
   * The codec encodes every golden vector's frame to flatc's exact bytes. Not required by the
   * spec (spec/messages.md#encoding: any layout that verifies is valid), so optional here.
   */
  flatcBytes: "the codec's encoder writes flatc's exact bytes",
} as const;

/** A capability's name. */
export type Capability = keyof typeof CAPABILITIES;

/** A scenario expected to fail on a runtime, and why. */
export interface KnownFailure {
  readonly scenario: string;
  readonly reason: string;
}

/** A loaded runtime file. */
export interface RuntimeSpec {
  readonly name: string;
  readonly file: string;
  readonly launch: DriverLaunch;
  readonly capabilities: ReadonlySet<Capability>;
  readonly knownFailures: readonly KnownFailure[];
}

/** The JSON of a runtime file. */
interface RuntimeFileJson {
  /** Program and arguments of the driver. */
  command: string[];
  /** Working directory, relative to the runtime file's folder; default conformance/. */
  cwd?: string;
  /** Extra environment variables for the driver. */
  env?: Record<string, string>;
  capabilities?: Partial<Record<Capability, boolean>>;
  knownFailures?: KnownFailure[];
}

/** Reads and checks one runtime file; its name is the file's name without `.json`. */
export function loadRuntime(file: string): RuntimeSpec {
  const name = file.replace(/^.*[\\/]/, '').replace(/\.json$/, '');
  const json = JSON.parse(readFileSync(file, 'utf8')) as RuntimeFileJson;
  const problem = (what: string): Error => new Error(`${file}: ${what}`);
  if (!Array.isArray(json.command) || json.command.length === 0 || !json.command.every(isString))
    throw problem('"command" must be a non-empty array of strings');
  const capabilities = new Set<Capability>();
  for (const [capability, enabled] of Object.entries(json.capabilities ?? {})) {
    if (!Object.hasOwn(CAPABILITIES, capability))
      throw problem(
        `unknown capability "${capability}" (known: ${Object.keys(CAPABILITIES).join(', ')})`,
      );
    if (enabled === true) capabilities.add(capability as Capability);
  }
  const knownFailures = json.knownFailures ?? [];
  for (const failure of knownFailures) {
    if (!isString(failure.scenario) || !isString(failure.reason) || failure.reason === '')
      throw problem('each known failure needs a "scenario" and a non-empty "reason"');
  }
  const cwd = json.cwd === undefined ? conformanceDir : resolve(dirname(file), json.cwd);
  return {
    name,
    file,
    launch: { command: json.command, cwd, env: driverEnv(json.env ?? {}) },
    capabilities,
    knownFailures,
  };
}

/**
 * The runtimes to test: every file in runtimes/, or those named in `CONFORMANCE_RUNTIMES`
 * (comma-separated names, or paths to runtime files kept elsewhere).
 */
export function selectedRuntimes(selection = process.env.CONFORMANCE_RUNTIMES): RuntimeSpec[] {
  if (selection === undefined || selection.trim() === '') {
    return readdirSync(runtimesDir)
      .filter((file) => file.endsWith('.json'))
      .sort(referenceFirst)
      .map((file) => loadRuntime(join(runtimesDir, file)));
  }
  return selection.split(',').map((entry) => {
    const name = entry.trim();
    const isPath = name.endsWith('.json') || name.includes(sep);
    return loadRuntime(isPath ? resolve(name) : join(runtimesDir, `${name}.json`));
  });
}

/** Node (the reference runtime) first, then the others by name. */
function referenceFirst(a: string, b: string): number {
  const rank = (file: string): number => (file === 'node.json' ? 0 : 1);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** The driver's environment: ours, with the repository's tool folders first on PATH. */
function driverEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const path = [...binDirs, process.env.PATH ?? ''].join(delimiter);
  return { ...process.env, PATH: path, ...extra };
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}
