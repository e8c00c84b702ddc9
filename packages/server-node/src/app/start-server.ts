// `startServer`: an app starts its own server as a child process, the way an operator runs
// `pluresdb-ipc serve`, waits for its ready line, and owns it from then on: `stop()` stops it
// cleanly, its exit is reported, and it does not outlive the app (docs/operations.md, "A
// server owned by an app").
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import { type ServerChild, spawnChild } from './server-child.ts';
import { serverLaunch } from './server-launch.ts';
import { describeExit, type ExitStatus, startFailure } from './start-failure.ts';
import {
  type ResolvedStartOptions,
  resolveStartOptions,
  type StartServerOptions,
} from './start-options.ts';
import { stopWithApp } from './stop-with-app.ts';

/** The line `serve` prints once clients can connect (cli/serve-command.ts). */
const READY_PREFIX = 'pluresdb-ipc ready: ';
/** Characters of the server's latest stderr kept for errors and {@link ServerExit.stderr}. */
const STDERR_TAIL_BYTES = 4_096;
/** How long an exit waits for the rest of stderr to be read (a utility process has no 'close'). */
const STDERR_DRAIN_MS = 500;

/** How a started server's process ended: the exit event. */
export interface ServerExit extends ExitStatus {
  /** True when {@link RunningServer.stop} asked for it; false for a crash or an outside kill. */
  readonly requested: boolean;
  /** The last lines it wrote to stderr (at most 4,096 characters): why it crashed, when it says. */
  readonly stderr: string;
}

/** A server that {@link startServer} started and this process owns. */
export interface RunningServer {
  /** Its channel: clients `connect` to it. */
  readonly channel: string;
  /** Its data directory. */
  readonly dataDir: string;
  /** The server's pid. */
  readonly pid: number;
  /** True until its process has exited. */
  readonly running: boolean;
  /**
   * Resolves once its process has exited, for whatever reason (never rejects): the exit
   * event. `requested` false means it crashed or was killed from outside; clients see
   * `Unavailable` and reconnect when a server runs on the channel again.
   */
  readonly exited: Promise<ServerExit>;
  /**
   * Stops it: SIGTERM, after which it answers or fails what is in flight, flushes and removes
   * its shared memory. Resolves when it exits with code 0. Rejects with `Timeout` when it
   * needed SIGKILL after `stopGraceMs`, `Internal` when it exited otherwise. Idempotent (the
   * same promise); resolves at once when the server had exited already (see {@link exited}).
   */
  stop(): Promise<void>;
}

/**
 * Starts `pluresdb-ipc serve` for `options` as a child process (Electron's binary as Node
 * under Electron, or the app's `spawn` function) and resolves once clients can connect.
 * Rejects with the server's own error: `StoreLocked` (another process has the data
 * directory), `Unavailable` (a live server has the channel), `InvalidArgument` (a bad path or
 * option), `PermissionDenied`, ...; `Timeout` when it is not ready within `readyTimeoutMs`.
 *
 * The server stops when this process exits, however it ends: SIGTERM from an 'exit' handler,
 * and the server's own check of its parent (`--parent-pid`) for a killed app.
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const resolved = resolveStartOptions(options);
  let child: ServerChild;
  try {
    child = (resolved.spawn ?? spawnChild)(serverLaunch(resolved));
  } catch (error) {
    throw new IpcError(ErrorCode.Internal, `could not start the server: ${String(error)}`, {
      cause: error,
    });
  }
  return new ServerProcess(child, resolved).ready();
}

/** The child process behind a {@link RunningServer}. */
class ServerProcess implements RunningServer {
  readonly channel: string;
  readonly dataDir: string;
  pid = 0;
  running = true;
  readonly exited: Promise<ServerExit>;
  private readonly child: ServerChild;
  private readonly options: ResolvedStartOptions;
  private stderrTail = '';
  private requested = false;
  private stopping: Promise<void> | undefined;
  private readonly forget: () => void;
  private readonly readyLine: Promise<string>;

  constructor(child: ServerChild, options: ResolvedStartOptions) {
    this.child = child;
    this.options = options;
    this.channel = options.channel;
    this.dataDir = options.dataDir;
    const { stdout, stderr } = child;
    if (stdout === null || stderr === null) {
      child.kill();
      throw new IpcError(
        ErrorCode.InvalidArgument,
        "startServer's spawn function must pipe the server's stdout and stderr",
      );
    }
    this.forget = stopWithApp(() => {
      if (this.running) child.kill();
    });
    const stderrDone = this.readStderr(stderr);
    const status = new Promise<ExitStatus>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal: signal ?? null }));
      // A ChildProcess reports a failed spawn as 'error' (maybe without 'exit'); a utility
      // process a fatal V8 error. Either way the server is not running.
      if (child instanceof EventEmitter) {
        child.on('error', (error: unknown) => {
          this.noteStderr(`could not run the server: ${String(error)}`);
          resolve({ code: null, signal: null });
        });
      }
    });
    this.exited = status.then(async (exit) => {
      await Promise.race([stderrDone, delay(STDERR_DRAIN_MS)]);
      this.running = false;
      this.forget();
      return { ...exit, requested: this.requested, stderr: this.stderrTail };
    });
    this.readyLine = new Promise((resolve) => {
      const lines = createInterface({ input: stdout });
      // Read every line, ready or not: a full pipe would block the server.
      lines.on('line', (line) => {
        if (line.startsWith(READY_PREFIX)) resolve(line);
      });
    });
  }

  /** Resolves with this handle once the server printed its ready line; rejects otherwise. */
  async ready(): Promise<RunningServer> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.readyTimeoutMs);
    });
    const first = await Promise.race([this.readyLine, this.exited, timedOut]);
    clearTimeout(timer);
    if (first === 'timeout') {
      await this.terminate();
      throw new IpcError(
        ErrorCode.Timeout,
        `the server of channel "${this.channel}" was not ready within ${this.options.readyTimeoutMs} ms${this.tail()}`,
      );
    }
    if (typeof first === 'string') {
      this.pid = Number(/, pid (\d+)$/.exec(first)?.[1] ?? this.child.pid ?? 0);
      return this;
    }
    throw startFailure(first.stderr, first);
  }

  stop(): Promise<void> {
    this.stopping ??= this.stopOnce();
    return this.stopping;
  }

  private async stopOnce(): Promise<void> {
    if (!this.running) return;
    this.requested = true;
    const hard = await this.terminate();
    const exit = await this.exited;
    if (hard) {
      throw new IpcError(
        ErrorCode.Timeout,
        `the server of channel "${this.channel}" (pid ${this.pid}) did not stop within ${this.options.stopGraceMs} ms of SIGTERM and was killed${this.tail()}`,
      );
    }
    if (exit.code !== 0) {
      throw new IpcError(
        ErrorCode.Internal,
        `the server of channel "${this.channel}" (pid ${this.pid}) stopped with ${describeExit(exit)}${this.tail()}`,
      );
    }
  }

  /** SIGTERM, then SIGKILL after the grace period; resolves with true when SIGKILL was needed. */
  private async terminate(): Promise<boolean> {
    this.child.kill();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<'grace'>((resolve) => {
      timer = setTimeout(() => resolve('grace'), this.options.stopGraceMs);
    });
    const outcome = await Promise.race([this.exited, grace]);
    clearTimeout(timer);
    if (outcome !== 'grace') return false;
    const pid = this.pid || this.child.pid;
    try {
      if (pid) process.kill(pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
    await this.exited;
    return true;
  }

  /** Forwards each stderr line to the log and keeps the latest; resolves when it ends. */
  private readStderr(stderr: NodeJS.ReadableStream): Promise<void> {
    const lines = createInterface({ input: stderr });
    lines.on('line', (line) => {
      this.noteStderr(line);
      this.options.log(line);
    });
    return new Promise((resolve) => lines.once('close', resolve));
  }

  private noteStderr(line: string): void {
    this.stderrTail = `${this.stderrTail}${line}\n`.slice(-STDERR_TAIL_BYTES);
  }

  /** ": <the last stderr lines>", or nothing. */
  private tail(): string {
    const last = this.stderrTail.trim().split('\n').slice(-3).join('\n');
    return last ? `: ${last}` : '';
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
