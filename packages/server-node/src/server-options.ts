// Options of the server, with their defaults in one place (the CLI maps its flags onto these).
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import {
  checkChannelName,
  isValidRingCapacity,
  MAX_CLIENTS,
  MAX_SEGMENT_BYTES,
} from '@pluresdb-ipc/protocol/transport';
import {
  type ChangeLogOptions,
  DEFAULT_TOMBSTONE_HORIZON_MS,
  type Durability,
} from '@pluresdb-ipc/store';
import { channelDirectoryName } from './channel-directory.ts';
import { channelLayout, OPERATOR_SLOTS } from './channel-layout.ts';
import { DEFAULT_STORE_OPEN_TIMEOUT_MS } from './store-open-watchdog.ts';

/** Options of {@link IpcServer.start}. */
export interface ServeOptions {
  /** Channel name; default `"default"`. */
  readonly channel?: string;
  /** Data directory; default {@link defaultDataDir} of the channel. */
  readonly dataDir?: string;
  /** Client slots (concurrent client sessions); default 64. */
  readonly maxClients?: number;
  /** Bytes of each ring (a power of two, at least 4096); default 256 KiB. */
  readonly ringBytes?: number;
  /** Largest record data, in bytes; default 64 MiB. */
  readonly maxValueBytes?: number;
  /** When writes are acknowledged (spec/crdt.md#durability); default `'process'`. */
  readonly durability?: Durability;
  /**
   * Commit into a writable memory map (`'process'` durability only): faster commits, but a
   * full disk kills the server (SIGBUS) instead of failing the write. Default false.
   */
  readonly writemap?: boolean;
  /**
   * Tighten a data directory (to 0700) and store files (to 0600) of this user that other users
   * can read or write, instead of refusing to start (spec/crdt.md#permissions). Default false.
   */
  readonly fixPermissions?: boolean;
  /**
   * Bounds of the store's change log, which resumed subscriptions read
   * (spec/crdt.md#subscriptions); defaults 100,000 entries, 64 MiB, 7 days (0 = no limit).
   */
  readonly changeLog?: ChangeLogOptions;
  /** A shared secret clients must send in Hello; default none (OS permissions only). */
  readonly secret?: Uint8Array;
  /** Busy-wait this long for more work before sleeping, in µs; default 200. */
  readonly spinMicros?: number;
  /** Most bytes of events queued for one client before its session ends with `Busy`; default 32 MiB. */
  readonly maxBacklogBytes?: number;
  /**
   * Most bytes queued for all clients together (spec/transport.md#back-pressure): past it, the
   * session with the most queued is ended with `Busy`, until the total is back under it;
   * default 192 MiB. It should exceed the largest answer (`maxFrameBytes`).
   */
  readonly maxOutboundBytes?: number;
  /**
   * Most time the store may take to open, in ms, before the server says so and the process is
   * killed (a hung open otherwise never ends: store-open-watchdog.ts); default 30 s.
   */
  readonly storeOpenTimeoutMs?: number;
  /** Where log lines go; default stderr. `undefined` values are never passed. */
  readonly log?: (line: string) => void;
  /**
   * Tombstones whose last change is older than this many ms are purged (spec/crdt.md#tombstone-gc);
   * default 30 days; 0 keeps them forever.
   */
  readonly tombstoneHorizonMs?: number;
}

/** Options with every default filled in. */
export interface ResolvedServeOptions {
  readonly channel: string;
  readonly dataDir: string;
  readonly maxClients: number;
  readonly ringBytes: number;
  readonly maxValueBytes: number;
  readonly maxFrameBytes: number;
  readonly durability: Durability;
  readonly writemap: boolean;
  readonly fixPermissions: boolean;
  readonly changeLog: ChangeLogOptions | undefined;
  readonly secret: Uint8Array | undefined;
  readonly spinMicros: number;
  readonly maxBacklogBytes: number;
  readonly maxOutboundBytes: number;
  readonly storeOpenTimeoutMs: number;
  readonly log: (line: string) => void;
  readonly tombstoneHorizonMs: number;
}

/**
 * The default data directory of a channel: `$PLURESDB_IPC_DATA`, else
 * `$XDG_DATA_HOME/pluresdb-ipc/<channel>`, else `~/.local/share/pluresdb-ipc/<channel>`, where
 * `<channel>` is {@link channelDirectoryName}: always a folder of its own, directly under
 * the `pluresdb-ipc` root. Throws `InvalidArgument` for an invalid channel name.
 */
export function defaultDataDir(channel: string): string {
  const env = process.env;
  if (env.PLURESDB_IPC_DATA) return env.PLURESDB_IPC_DATA;
  return join(dataRoot(), channelDirectoryName(channel));
}

/** The folder holding one folder per channel: `$XDG_DATA_HOME/pluresdb-ipc` or `~/.local/share/pluresdb-ipc`. */
export function dataRoot(): string {
  return join(process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'pluresdb-ipc');
}

/** Fills in the defaults. */
export function resolveServeOptions(options: ServeOptions): ResolvedServeOptions {
  const channel = options.channel ?? 'default';
  const maxValueBytes = options.maxValueBytes ?? 64 * 1024 * 1024;
  return {
    channel,
    dataDir: options.dataDir ?? defaultDataDir(channel),
    maxClients: options.maxClients ?? 64,
    ringBytes: options.ringBytes ?? 256 * 1024,
    maxValueBytes,
    // A Record carries its data twice (data and field values): room for both plus metadata.
    maxFrameBytes: Math.min(2 ** 31 - 1, 2 * maxValueBytes + 1024 * 1024),
    durability: options.durability ?? 'process',
    writemap: options.writemap ?? false,
    fixPermissions: options.fixPermissions ?? false,
    changeLog: options.changeLog,
    secret: options.secret,
    spinMicros: options.spinMicros ?? 200,
    maxBacklogBytes: options.maxBacklogBytes ?? 32 * 1024 * 1024,
    // 60 stopped subscribers under a stream of 1 KB writes took the server to 450-456 MB with
    // this bound, 535 with 256 MiB, 2.7 GB without one (outbound-memory.test.ts; the issue asks
    // for at most 512 MiB); above the largest default frame (129 MiB) with room to spare.
    maxOutboundBytes: options.maxOutboundBytes ?? 192 * 1024 * 1024,
    storeOpenTimeoutMs: options.storeOpenTimeoutMs ?? DEFAULT_STORE_OPEN_TIMEOUT_MS,
    log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
    tombstoneHorizonMs: options.tombstoneHorizonMs ?? DEFAULT_TOMBSTONE_HORIZON_MS,
  };
}

/**
 * Checks the options a server starts with (throws `InvalidArgument`), and warns through
 * `options.log` about an outbound bound below the frame limit.
 */
export function checkServeOptions(resolved: ResolvedServeOptions): void {
  checkChannelName(resolved.channel);
  const maxOrdinary = MAX_CLIENTS - OPERATOR_SLOTS;
  if (
    !Number.isInteger(resolved.maxClients) ||
    resolved.maxClients < 1 ||
    resolved.maxClients > maxOrdinary
  ) {
    throw new IpcError(ErrorCode.InvalidArgument, `max clients must be 1 to ${maxOrdinary}`);
  }
  if (!Number.isSafeInteger(resolved.maxOutboundBytes) || resolved.maxOutboundBytes < 1) {
    throw new IpcError(ErrorCode.InvalidArgument, 'max outbound bytes must be a positive integer');
  }
  if (resolved.maxOutboundBytes < resolved.maxFrameBytes) {
    resolved.log(
      `pluresdb-ipc: warning: --max-outbound-bytes ${resolved.maxOutboundBytes} is below the frame limit ${resolved.maxFrameBytes} (from --max-value-bytes): a client reading an answer that big is ended with Busy`,
    );
  }
  if (!Number.isSafeInteger(resolved.storeOpenTimeoutMs) || resolved.storeOpenTimeoutMs < 1) {
    throw new IpcError(ErrorCode.InvalidArgument, 'store open timeout must be a positive integer');
  }
  if (!isValidRingCapacity(resolved.ringBytes)) {
    throw new IpcError(
      ErrorCode.InvalidArgument,
      'ring bytes must be a power of two from 4096 to 2^30',
    );
  }
  if (channelLayout(resolved).segmentBytes > MAX_SEGMENT_BYTES) {
    throw new IpcError(
      ErrorCode.InvalidArgument,
      `${resolved.maxClients} clients × 2 rings of ${resolved.ringBytes} bytes exceed the 2 GiB segment limit`,
    );
  }
}
