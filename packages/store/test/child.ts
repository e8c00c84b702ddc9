// Running the fixtures in child processes: `node --import tsx`, so they run from source and
// need no build (the same whether vitest runs alone or under `pnpm test`).
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** Starts `test/fixtures/<name>.ts` with `args`. */
export function startFixture(
  name: string,
  args: readonly string[],
  options: SpawnOptions = {},
): ChildProcess {
  const script = fileURLToPath(new URL(`./fixtures/${name}.ts`, import.meta.url));
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: packageDir,
    stdio: ['pipe', 'pipe', 'pipe'],
    ...options,
  });
}

/** Collects a child's stdout lines; `waitFor` resolves when a line satisfies `test`. */
export class LineReader {
  readonly lines: string[] = [];
  #partial = '';
  #waiters: { test: (line: string) => boolean; resolve: () => void }[] = [];
  stderr = '';

  constructor(child: ChildProcess) {
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      const parts = (this.#partial + chunk).split('\n');
      this.#partial = parts.pop() ?? '';
      for (const line of parts) {
        this.lines.push(line);
        this.#waiters = this.#waiters.filter((waiter) => {
          if (!waiter.test(line)) return true;
          waiter.resolve();
          return false;
        });
      }
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
  }

  /** Resolves once a line passing `test` arrives (or has arrived). */
  waitFor(test: (line: string) => boolean): Promise<void> {
    if (this.lines.some(test)) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ test, resolve }));
  }
}

/** Resolves with the child's exit code or signal once it has exited. */
export function exited(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
}
