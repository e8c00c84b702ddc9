// The seam between `startServer` and whatever starts the server's process: by default
// `child_process.spawn`; an Electron app may pass `utilityProcess.fork` instead. Only what
// both give is asked for, so either fits as it is.
import { spawn } from 'node:child_process';
import type { ServerLaunch } from './server-launch.ts';

/**
 * The server's process as `startServer` uses it. A Node `ChildProcess` and an Electron
 * `UtilityProcess` (forked with `stdio: 'pipe'`) both fit.
 */
export interface ServerChild {
  /** Its pid, once known (the server's ready line names it too). */
  readonly pid?: number | undefined;
  /** Its stdout, piped: the ready line comes here. */
  readonly stdout: NodeJS.ReadableStream | null;
  /** Its stderr, piped: its log lines, and why it could not start. */
  readonly stderr: NodeJS.ReadableStream | null;
  /** Asks it to stop: SIGTERM. */
  kill(): boolean;
  /** Called once when it has exited (a utility process gives no signal). */
  once(
    event: 'exit',
    listener: (code: number | null, signal?: NodeJS.Signals | null) => void,
  ): unknown;
}

/** Starts the server's process from a launch: see {@link ServerLaunch}. */
export type ServerSpawner = (launch: ServerLaunch) => ServerChild;

/** `child_process.spawn` of the launch, stdin closed, stdout and stderr piped. */
export const spawnChild: ServerSpawner = (launch) =>
  spawn(launch.command, [...launch.args], {
    env: launch.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
