// How the packaging test's app starts and stops its own server: the one place it does, so this
// function is all that changes when the app moves to another way of starting it. Today: the
// CLI installed in node_modules/.bin (`pluresdb-ipc serve`), run by the Node running the app,
// ready once it prints its ready line; stopped with SIGTERM, which must end it with exit 0.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The app's running server. */
export interface AppServer {
  readonly channel: string;
  readonly pid: number;
  /** Stops it cleanly (SIGTERM); resolves once it exited with 0, rejects otherwise. */
  stop(): Promise<void>;
}

/** Starts the app's server on `channel` with its data in `dataDir`; resolves once it is ready. */
export async function startAppServer(channel: string, dataDir: string): Promise<AppServer> {
  const cli = join(process.cwd(), 'node_modules', '.bin', 'pluresdb-ipc');
  const child = spawn(process.execPath, [cli, 'serve', '--channel', channel, '--data', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const lines = createInterface({ input: child.stdout });
  const ready = new Promise<void>((resolve) =>
    lines.on('line', (line) => line.startsWith('pluresdb-ipc ready:') && resolve()),
  );
  const early = exited.then(([code]) => {
    throw new Error(`the server exited (${code}) before it was ready: ${stderr}`);
  });
  await Promise.race([ready, early]);
  early.catch(() => undefined);
  return {
    channel,
    pid: child.pid ?? 0,
    async stop() {
      child.kill('SIGTERM');
      const [code, signal] = await exited;
      if (code !== 0) throw new Error(`the server stopped with ${code ?? signal}: ${stderr}`);
    },
  };
}
