// The command line `startServer` runs: this package's own `pluresdb-ipc` CLI, found through
// the package's `./cli` export (wherever npm installed it, not where this repository keeps
// it), run by this process's Node, or by Electron's binary as Node under Electron.
import { createRequire } from 'node:module';
import type { ResolvedStartOptions } from './start-options.ts';

/** What runs the server: hand it to a spawn function (see {@link ServerSpawner}). */
export interface ServerLaunch {
  /** The executable: this Node, or under Electron its own binary (run as Node). */
  readonly command: string;
  /** Its arguments: {@link script}, then {@link scriptArgs}. */
  readonly args: readonly string[];
  /** The CLI's script (`dist/cli/main.js` of `@pluresdb-ipc/server-node`). */
  readonly script: string;
  /** The arguments after the script: `serve` and its flags. */
  readonly scriptArgs: readonly string[];
  /** The server's environment: ours, the `env` option, `ELECTRON_RUN_AS_NODE=1` under Electron. */
  readonly env: Readonly<Record<string, string>>;
}

/** The parts of this process the launch depends on (a test passes its own). */
export interface LaunchHost {
  readonly execPath: string;
  readonly versions: Readonly<Record<string, string | undefined>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly pid: number;
}

/** This process, as {@link serverLaunch} sees it. */
export function currentHost(): LaunchHost {
  return {
    execPath: process.execPath,
    versions: process.versions,
    env: process.env,
    pid: process.pid,
  };
}

/** The installed CLI script, resolved as any importer of the package would. */
export function cliScript(): string {
  return createRequire(import.meta.url).resolve('@pluresdb-ipc/server-node/cli');
}

/**
 * The `serve` command line for `options`, with `--parent-pid` of `host` so that the server
 * stops once this process is gone. Under Electron (`process.versions.electron`) the executable
 * is Electron's own binary with `ELECTRON_RUN_AS_NODE=1`: an app ships no separate Node.
 */
export function serverLaunch(
  options: ResolvedStartOptions,
  host: LaunchHost = currentHost(),
  script: string = cliScript(),
): ServerLaunch {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(host.env)) if (value !== undefined) env[name] = value;
  Object.assign(env, options.env);
  if (host.versions.electron !== undefined) env.ELECTRON_RUN_AS_NODE = '1';
  const scriptArgs = serveArguments(options, host.pid);
  return { command: host.execPath, args: [script, ...scriptArgs], script, scriptArgs, env };
}

/** `serve` and the flags of `options` (those left out take the server's defaults). */
export function serveArguments(options: ResolvedStartOptions, parentPid: number): string[] {
  const args = ['serve', '--channel', options.channel, '--data', options.dataDir];
  const numbers: ReadonlyArray<readonly [string, number | undefined]> = [
    ['--max-clients', options.maxClients],
    ['--ring-bytes', options.ringBytes],
    ['--max-value-bytes', options.maxValueBytes],
    ['--spin-micros', options.spinMicros],
    ['--max-outbound-bytes', options.maxOutboundBytes],
  ];
  for (const [flag, value] of numbers) if (value !== undefined) args.push(flag, String(value));
  if (options.durability !== undefined) args.push('--durability', options.durability);
  if (options.writemap === true) args.push('--writemap');
  if (options.fixPermissions === true) args.push('--fix-permissions');
  if (options.secretFile !== undefined) args.push('--secret-file', options.secretFile);
  args.push('--parent-pid', String(parentPid));
  return args;
}
