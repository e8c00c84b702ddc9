// Starting a server as a child process and waiting for its ready line, the way an app runs
// `pluresdb-ipc serve`: the demo does so, and the benchmark (bench/) starts its servers with it
// through this package's `./child-server` export.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A running child with the line it printed when ready. */
export interface ReadyChild {
  readonly child: ChildProcess;
  readonly readyLine: string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** How {@link spawnReady} starts the child. */
export interface SpawnOptions {
  /** How long it may stay silent, in ms; default 15,000. */
  readonly timeoutMs?: number;
  /** The runtime's command line before the script; default this Node (`process.execPath`). */
  readonly runtime?: readonly string[];
  /** Its working directory; default ours. */
  readonly cwd?: string;
}

/**
 * Spawns `node script ...args` (or another runtime) and resolves once it prints a line
 * starting with `marker`; rejects if it exits first or stays silent for `timeoutMs`. Its
 * stderr is passed through.
 */
export function spawnReady(
  script: string,
  args: readonly string[],
  marker: string,
  options: SpawnOptions = {},
): Promise<ReadyChild> {
  const { timeoutMs = 15_000, runtime = [process.execPath], cwd } = options;
  const [command = process.execPath, ...runtimeArgs] = runtime;
  const child = spawn(command, [...runtimeArgs, script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    ...(cwd === undefined ? {} : { cwd }),
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} was not ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      if (!line.startsWith(marker)) return;
      clearTimeout(timer);
      resolve({
        child,
        readyLine: line,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with code ${code} before it was ready`));
    });
  });
}
