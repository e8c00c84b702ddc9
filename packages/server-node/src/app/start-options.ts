// Options of `startServer`, with their defaults in one place. The server's own settings map
// onto `pluresdb-ipc serve` flags (serve-arguments.ts); the rest say how it is run.
import type { Durability } from '@pluresdb-ipc/store';
import { defaultDataDir } from '../server-options.ts';
import type { ServerSpawner } from './server-child.ts';

/** Options of {@link startServer}: the server's settings, then how it runs. */
export interface StartServerOptions {
  /** Channel name; default `"default"`. */
  readonly channel?: string;
  /** Data directory; default {@link defaultDataDir} of the channel (with this process's env). */
  readonly dataDir?: string;
  /** Client slots; default 64 (`--max-clients`). */
  readonly maxClients?: number;
  /** Bytes of each ring, a power of two; default 256 KiB (`--ring-bytes`). */
  readonly ringBytes?: number;
  /** Largest record data; default 64 MiB (`--max-value-bytes`). */
  readonly maxValueBytes?: number;
  /** `'process'` (default) or `'fsync'` (`--durability`). */
  readonly durability?: Durability;
  /** Commit into a writable memory map (`--writemap`); default false. */
  readonly writemap?: boolean;
  /** Tighten this user's data directory instead of refusing it (`--fix-permissions`). */
  readonly fixPermissions?: boolean;
  /** A file holding the shared secret clients must send (`--secret-file`). */
  readonly secretFile?: string;
  /** Busy-wait before sleeping, in µs; default 200 (`--spin-micros`). */
  readonly spinMicros?: number;
  /** Most output queued for slow clients; default 192 MiB (`--max-outbound-bytes`). */
  readonly maxOutboundBytes?: number;

  /** How long the server may take to be ready, in ms; default 30,000 (then `Timeout`). */
  readonly readyTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL, in ms; default 10,000. */
  readonly stopGraceMs?: number;
  /** Where the server's log lines (its stderr) go; default this process's stderr. */
  readonly log?: (line: string) => void;
  /** Environment variables for the server, over this process's own. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Starts the server process instead of `child_process.spawn`, e.g. with Electron's
   * `utilityProcess.fork(launch.script, launch.scriptArgs, { env: launch.env, stdio: 'pipe' })`.
   */
  readonly spawn?: ServerSpawner;
}

/** The options with every default of {@link startServer} filled in. */
export interface ResolvedStartOptions extends StartServerOptions {
  readonly channel: string;
  readonly dataDir: string;
  readonly readyTimeoutMs: number;
  readonly stopGraceMs: number;
  readonly log: (line: string) => void;
}

/** Fills in the defaults (the data directory from the channel, as `serve` would). */
export function resolveStartOptions(options: StartServerOptions): ResolvedStartOptions {
  const channel = options.channel ?? 'default';
  return {
    ...options,
    channel,
    dataDir: options.dataDir ?? defaultDataDir(channel),
    readyTimeoutMs: options.readyTimeoutMs ?? 30_000,
    // The server's clean stop waits up to 3 s for writes and 3 s for answers
    // (spec/transport.md#shutdown): 10 s leaves it room on a busy machine.
    stopGraceMs: options.stopGraceMs ?? 10_000,
    log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
  };
}
