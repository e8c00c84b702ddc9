// Baseline: redis-server (Debian's package, found on PATH) over a Unix socket. Spawned directly,
// not through a Node wrapper, so the benchmark's server CPU and memory figures are Redis's own.
// Durability matches the IPC server's `process` level: every write reaches the OS (an
// append-only file, `appendfsync no`) and survives the process, not a power cut.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';

/** A running redis-server. */
export interface RedisServer {
  readonly pid: number;
  readonly socketPath: string;
  /** SIGTERM (Redis's own clean shutdown), then resolves once it has exited. */
  stop(): Promise<void>;
}

/** Where `redis-server` is on PATH, or undefined. */
export function findRedisServer(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'redis-server');
    if (dir !== '' && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Redis logs this once it accepts connections: `Ready to accept connections tcp|unix` (7.2+),
 * `The server is now ready to accept connections at <path>` (7.0, a socket only).
 */
const READY_TEXT = /ready to accept connections/i;

/**
 * Starts `redis-server` with its files in `dir` and only a Unix socket at `socketPath` (no TCP
 * port); resolves once it accepts connections, rejects if it exits first or stays silent for
 * `timeoutMs`.
 */
export function startRedisServer(
  binary: string,
  dir: string,
  socketPath: string,
  timeoutMs = 15_000,
): Promise<RedisServer> {
  const args = [
    '--port',
    '0',
    '--unixsocket',
    socketPath,
    '--unixsocketperm',
    '700',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'yes',
    '--appendfsync',
    'no',
    '--daemonize',
    'no',
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`redis-server did not say it was ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const lines = createInterface({ input: child.stdout });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited before it was ready (${signal ?? `exit ${code}`})`));
    });
    lines.on('line', (line) => {
      if (!READY_TEXT.test(line)) return;
      clearTimeout(timer);
      // Its later log lines are drained and dropped, so a full pipe never stalls it.
      lines.removeAllListeners('line');
      lines.on('line', () => {});
      resolve({ pid: child.pid ?? 0, socketPath, stop });
    });
  });
}
