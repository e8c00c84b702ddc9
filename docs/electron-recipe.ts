// PluresDB IPC in an Electron app (docs/electron.md). The main process runs the server as a
// child process, owns the only client, and offers a few operations to renderers through
// `ipcMain.handle`; renderers never touch shared memory.
//
// Copy this file into your app. It is not part of any package and nothing in this repository
// runs it. It declares the few Electron types it uses instead of importing 'electron', so it
// type-checks without Electron installed; pass Electron's own `app` and `ipcMain` to
// `startDatabase`.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  connect,
  ErrorCode,
  type IpcClient,
  IpcError,
  type JsonObject,
} from '@pluresdb-ipc/client-node';

/** The part of Electron's `app` used here. */
export interface ElectronApp {
  getPath(name: 'userData'): string;
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
}

/** The part of a renderer's `WebContents` used here (the `sender` of an invoke). */
export interface ElectronSender {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

/** The part of Electron's `ipcMain` used here. */
export interface ElectronIpcMain {
  handle(
    channel: string,
    listener: (event: { sender: ElectronSender }, ...args: unknown[]) => unknown,
  ): void;
  removeHandler(channel: string): void;
}

export interface DatabaseOptions {
  readonly app: ElectronApp;
  readonly ipcMain: ElectronIpcMain;
  /** The channel: a name unique to your app (one server per channel and user). */
  readonly channel: string;
  /** Shown in the server's logs and stats. */
  readonly clientName?: string;
  /** More `serve` flags, e.g. `['--max-clients', '4', '--ring-bytes', '65536']`. */
  readonly serverArgs?: readonly string[];
  /** Where log lines go; default `console.log`. */
  readonly log?: (line: string) => void;
}

/** What a renderer gets back from every `db:*` invoke (errors lose their fields otherwise). */
export type DbReply = { ok: true; value: unknown } | { ok: false; code: string; message: string };

/** How long the server may take to print its ready line. */
const READY_TIMEOUT_MS = 30_000;
/** How long a stopping server may take to exit before it is killed. */
const EXIT_TIMEOUT_MS = 10_000;
/** Restart back-off after an unexpected exit: first delay, longest delay. */
const RESTART_FIRST_MS = 500;
const RESTART_MAX_MS = 30_000;
/** A server that ran this long before it exited starts the back-off over. */
const RESTART_RESET_AFTER_MS = 60_000;

/** The `serve` command of `@pluresdb-ipc/server-node` (its package exports only `.`). */
function serverCli(): string {
  const requireHere = createRequire(import.meta.url);
  return join(dirname(requireHere.resolve('@pluresdb-ipc/server-node')), 'cli', 'main.js');
}

/** The server as a child process: started, restarted with back-off, stopped. */
class ServerProcess {
  private readonly args: readonly string[];
  private readonly log: (line: string) => void;
  private child: ReturnType<typeof spawnServer> | undefined;
  private supervising = false;
  private stopping = false;
  private restartDelay = RESTART_FIRST_MS;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(args: readonly string[], log: (line: string) => void) {
    this.args = args;
    this.log = log;
  }

  /** Spawns the server; resolves once it printed `pluresdb-ipc ready: ...`. */
  start(): Promise<void> {
    const child = spawnServer(this.args);
    this.child = child;
    const startedAt = Date.now();
    const stderrTail: string[] = [];
    // Always read stderr: the server writes its log there, and a full pipe would block it.
    createInterface({ input: child.stderr }).on('line', (line) => {
      this.log(line);
      stderrTail.push(line);
      if (stderrTail.length > 20) stderrTail.shift();
    });
    let ended = false;
    const onEnd = (why: string): void => {
      if (ended) return;
      ended = true;
      this.exited(why, Date.now() - startedAt);
    };
    child.once('exit', (code, signal) => onEnd(signal ?? `exit code ${code}`));
    child.once('error', (error) => onEnd(error.message));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error('the database server did not get ready in time'));
        child.kill('SIGKILL');
      }, READY_TIMEOUT_MS);
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (!line.startsWith('pluresdb-ipc ready:')) return;
        clearTimeout(timer);
        this.log(line);
        this.supervising = true;
        resolve();
      });
      const failed = (why: string): void => {
        clearTimeout(timer);
        reject(
          new Error(
            `the database server stopped before it was ready (${why}): ${stderrTail.join(' | ')}`,
          ),
        );
      };
      child.once('exit', (code, signal) => failed(signal ?? `exit code ${code}`));
      child.once('error', (error) => failed(error.message));
    });
  }

  /** Stops the server (SIGTERM, then SIGKILL after a timeout); resolves with its exit code. */
  async stop(): Promise<number | null> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
      return child?.exitCode ?? null;
    }
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }

  private exited(why: string, ranMs: number): void {
    if (this.stopping || !this.supervising) return;
    if (ranMs >= RESTART_RESET_AFTER_MS) this.restartDelay = RESTART_FIRST_MS;
    const delay = this.restartDelay;
    this.restartDelay = Math.min(this.restartDelay * 2, RESTART_MAX_MS);
    this.log(`database server ended unexpectedly (${why}); restarting in ${delay} ms`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      // A failed start exits too, which schedules the next attempt.
      if (!this.stopping) this.start().catch((error: unknown) => this.log(String(error)));
    }, delay);
  }
}

function spawnServer(args: readonly string[]) {
  // process.execPath is the Electron binary; ELECTRON_RUN_AS_NODE makes it a plain Node.
  return spawn(process.execPath, [serverCli(), 'serve', ...args], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Stops a server that an earlier run of the app left behind (the main process crashed or was
 * killed): it still owns the channel, so a new server would refuse to start. Call this only
 * when this app instance holds Electron's single-instance lock.
 */
async function stopLeftoverServer(
  channel: string,
  clientName: string,
  log: (line: string) => void,
): Promise<void> {
  let probe: IpcClient;
  try {
    probe = await connect(channel, {
      clientName,
      connectTimeoutMs: 2_000,
      reconnect: { enabled: false },
    });
  } catch (error) {
    if (IpcError.is(error) && error.code === ErrorCode.Unavailable) return; // none running
    throw error;
  }
  const pid = probe.terms?.serverPid;
  await probe.close();
  if (pid === undefined) return;
  log(`stopping the database server left running by an earlier run (pid ${pid})`);
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + EXIT_TIMEOUT_MS;
  while (isRunning(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL'); // its segment is removed by the next server's start
      return;
    }
    await sleep(100);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** A value renderers can receive: bigints become decimal strings. */
function plain(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
  );
}

function codeName(code: number): string {
  for (const [name, value] of Object.entries(ErrorCode)) if (value === code) return name;
  return `code ${code}`;
}

async function reply(run: () => Promise<unknown>): Promise<DbReply> {
  try {
    return { ok: true, value: plain(await run()) };
  } catch (error) {
    if (IpcError.is(error))
      return { ok: false, code: codeName(error.code), message: error.rawMessage };
    return { ok: false, code: 'Unknown', message: String(error) };
  }
}

// Renderers are less trusted than the main process: check what they send.
function text(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new IpcError(ErrorCode.InvalidArgument, `${what}: a string`);
  return value;
}

function document(value: unknown): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new IpcError(ErrorCode.InvalidArgument, 'value: a JSON object');
  }
  return value as JsonObject;
}

function limit(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 10_000) {
    throw new IpcError(ErrorCode.InvalidArgument, 'limit: an integer from 0 to 10000');
  }
  return value;
}

/** The running database of the app. */
export interface Database {
  /** The client (main process only). */
  readonly client: IpcClient;
  /** Closes the client, then stops the server and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts the server, connects, registers the `db:*` handlers and the `before-quit` hook.
 * Call it after `app.whenReady()`, once `app.requestSingleInstanceLock()` returned true.
 */
export async function startDatabase(options: DatabaseOptions): Promise<Database> {
  const { app, ipcMain, channel } = options;
  const clientName = options.clientName ?? 'electron-main';
  const log = options.log ?? ((line: string) => console.log(line));

  await stopLeftoverServer(channel, clientName, log);
  const dataDir = join(app.getPath('userData'), 'db');
  const server = new ServerProcess(
    ['--channel', channel, '--data', dataDir, ...(options.serverArgs ?? [])],
    log,
  );
  await server.start();
  // Reconnects on its own after a server restart; calls made meanwhile wait (up to timeoutMs).
  const client = await connect(channel, { clientName, timeoutMs: 10_000 });

  let closing = false;
  const watches = new Map<number, AbortController>();
  let nextWatch = 1;

  /** Forwards changes under `prefix` to a renderer until it unwatches or goes away. */
  const forward = async (id: number, sender: ElectronSender, prefix: string) => {
    const signal = (watches.get(id) as AbortController).signal;
    while (!signal.aborted && !closing) {
      try {
        for await (const change of client.watch(prefix, { signal })) {
          if (sender.isDestroyed()) return;
          sender.send('db:change', id, plain(change));
        }
        return; // ended by the signal
      } catch (error) {
        if (signal.aborted || closing) return;
        // The session was lost (server restart) or the renderer fell behind: changes may have
        // been missed, so the renderer should list again. Then watch again.
        if (!sender.isDestroyed()) {
          sender.send('db:resync', id, IpcError.is(error) ? codeName(error.code) : 'Unknown');
        }
        await sleep(1_000, signal);
      }
    }
  };

  const handlers: Record<string, (sender: ElectronSender, ...args: unknown[]) => Promise<unknown>> =
    {
      'db:get': (_sender, key) => client.get(text(key, 'key')),
      'db:put': (_sender, key, value) => client.put(text(key, 'key'), document(value)),
      'db:patch': (_sender, key, value) => client.patch(text(key, 'key'), document(value)),
      'db:delete': (_sender, key) => client.delete(text(key, 'key')),
      'db:list': (_sender, prefix, after, count) =>
        client.list({
          prefix: text(prefix ?? '', 'prefix'),
          ...(after === undefined ? {} : { after: text(after, 'after') }),
          ...(count === undefined ? {} : { limit: limit(count) as number }),
        }),
      'db:stats': () => client.stats(),
      'db:watch': async (sender, prefix) => {
        const id = nextWatch++;
        const controller = new AbortController();
        watches.set(id, controller);
        sender.once('destroyed', () => controller.abort());
        void forward(id, sender, text(prefix ?? '', 'prefix')).finally(() => watches.delete(id));
        return id;
      },
      'db:unwatch': async (_sender, id) => {
        watches.get(Number(id))?.abort();
      },
    };
  for (const [name, handler] of Object.entries(handlers)) {
    ipcMain.handle(name, (event, ...args) => reply(() => handler(event.sender, ...args)));
  }

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      closing = true;
      for (const name of Object.keys(handlers)) ipcMain.removeHandler(name);
      for (const controller of watches.values()) controller.abort();
      await client.close();
      const code = await server.stop();
      log(`database server exited with ${code}`);
    })();
    return stopped;
  };

  // Quit only once the server has flushed the store and removed its segment.
  let quitReady = false;
  app.on('before-quit', (event) => {
    if (quitReady) return;
    event.preventDefault();
    stop()
      .catch((error: unknown) => log(`database stop failed: ${String(error)}`))
      .finally(() => {
        quitReady = true;
        app.quit();
      });
  });

  return { client, stop };
}
