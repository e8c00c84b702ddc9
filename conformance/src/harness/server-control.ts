// A real `pluresdb-ipc serve` process that scenarios can stop, restart, kill, pause and resume:
// the failures a client must survive are produced by the actual server, not simulated.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The server's command (resolved through the package's `./cli` export). */
const cliScript = createRequire(import.meta.url).resolve('@pluresdb-ipc/server-node/cli');
/** The line the server prints once clients can connect. */
const READY_PREFIX = 'pluresdb-ipc ready:';
const READY_TIMEOUT_MS = 20_000;
/** A clean stop waits up to 3 s for writes and 3 s for answers (spec/transport.md#shutdown). */
const STOP_TIMEOUT_MS = 10_000;
const STDERR_KEEP = 8_192;

/** Server settings a scenario may choose. */
export interface ServerSettings {
  /** `--max-value-bytes`; the server's default is 64 MiB. */
  readonly maxValueBytes?: number;
  /** `--max-clients`; default 64. */
  readonly maxClients?: number;
  /** A shared secret clients must present (`--secret-file`). */
  readonly secret?: Uint8Array;
  /** `--max-outbound-bytes`; the server's default is 192 MiB. */
  readonly maxOutboundBytes?: number;
  /** `--change-log-entries`; the server's default is 100,000 (0 = no limit). */
  readonly changeLogEntries?: number;
}

let serial = 0;

/** A fresh channel name, unique to this process. */
export function freshChannel(label: string): string {
  serial++;
  return `conformance-${label}-${process.pid}-${serial}`;
}

/** One server: a channel and a data directory that outlive its process across restarts. */
export class ServerHandle {
  readonly dataDir: string;
  private readonly baseDir: string;
  private readonly args: string[];
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private paused = false;
  private stderrTail = '';

  private constructor(
    readonly channel: string,
    settings: ServerSettings,
  ) {
    this.baseDir = mkdtempSync(join(tmpdir(), 'pdbi-conformance-'));
    this.dataDir = join(this.baseDir, 'data');
    this.args = ['serve', '--channel', channel, '--data', this.dataDir];
    if (settings.maxValueBytes !== undefined)
      this.args.push('--max-value-bytes', String(settings.maxValueBytes));
    if (settings.maxClients !== undefined)
      this.args.push('--max-clients', String(settings.maxClients));
    if (settings.maxOutboundBytes !== undefined)
      this.args.push('--max-outbound-bytes', String(settings.maxOutboundBytes));
    if (settings.changeLogEntries !== undefined)
      this.args.push('--change-log-entries', String(settings.changeLogEntries));
    if (settings.secret !== undefined) {
      const secretFile = join(this.baseDir, 'secret');
      writeFileSync(secretFile, settings.secret, { mode: 0o600 });
      this.args.push('--secret-file', secretFile);
    }
  }

  /** Creates a fresh data directory and starts a server on `channel`. */
  static async start(channel: string, settings: ServerSettings = {}): Promise<ServerHandle> {
    const server = new ServerHandle(channel, settings);
    await server.start();
    return server;
  }

  /** True while the process runs (paused or not). */
  get running(): boolean {
    return this.child !== undefined;
  }

  /** The process id while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** What the server wrote to stderr lately. */
  get stderr(): string {
    return this.stderrTail;
  }

  /** Starts the process (same channel, same data) and waits for its ready line. */
  async start(): Promise<void> {
    if (this.child) throw new Error(`server ${this.channel} is already running`);
    const child = spawn(process.execPath, [cliScript, ...this.args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.paused = false;
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-STDERR_KEEP);
    });
    this.exited = new Promise((resolve) =>
      child.once('exit', () => {
        if (this.child === child) this.child = undefined;
        resolve();
      }),
    );
    await new Promise<void>((resolve, reject) => {
      const fail = (why: string): void => {
        clearTimeout(timer);
        reject(new Error(`server ${this.channel} ${why}: ${this.stderrTail}`));
      };
      const timer = setTimeout(
        () => fail(`not ready within ${READY_TIMEOUT_MS} ms`),
        READY_TIMEOUT_MS,
      );
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
        if (!line.startsWith(READY_PREFIX)) return;
        clearTimeout(timer);
        resolve();
      });
      void this.exited.then(() => fail('exited before it was ready'));
    });
  }

  /** Stops it cleanly (SIGTERM) and waits for the exit; SIGKILL if it takes too long. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.resume();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }

  /** Kills it (SIGKILL): no clean stop, its shared memory is left behind for the next start. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGKILL');
    await this.exited;
  }

  /** Stops and starts it again on the same channel and data. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Freezes it (SIGSTOP): alive but answering nothing, so requests time out. */
  pause(): void {
    if (!this.child || this.paused) return;
    this.child.kill('SIGSTOP');
    this.paused = true;
  }

  /** Lets a paused server run again (SIGCONT). */
  resume(): void {
    if (!this.child || !this.paused) return;
    this.child.kill('SIGCONT');
    this.paused = false;
  }

  /** Brings it back to running, whatever a scenario left it in. */
  async ensureRunning(): Promise<void> {
    this.resume();
    if (!this.child) await this.start();
  }

  /** Stops it for good and removes its data. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.baseDir, { recursive: true, force: true });
  }
}
