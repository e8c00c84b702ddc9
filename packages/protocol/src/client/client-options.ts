// Options of the client, with their defaults in one place.
import { ErrorCode, IpcError } from '../errors.ts';
import type { AbortSignalLike } from '../transport/platform.ts';

/** How the client reconnects after the server went away. */
export interface ReconnectOptions {
  /** Reconnect on its own; default true. */
  readonly enabled?: boolean;
  /** First delay between attempts, in ms; default 50. Each failure doubles it. */
  readonly initialDelayMs?: number;
  /** Longest delay between attempts, in ms; default 2000. */
  readonly maxDelayMs?: number;
}

/** Options of a runtime package's `connect`. */
export interface ConnectOptions {
  /**
   * Default timeout of each request, in ms; default 30,000. When shorter than 5 s and no
   * `connectTimeoutMs` is given, it bounds connecting too.
   */
  readonly timeoutMs?: number;
  /**
   * How long `connect` (and each reconnect) may take, handshake included, in ms; default
   * 5,000, or `timeoutMs` when that is shorter.
   */
  readonly connectTimeoutMs?: number;
  /** Sent in Hello, shown in server logs and stats. */
  readonly clientName?: string;
  /** The server's shared secret, when it requires one. */
  readonly credentials?: Uint8Array;
  /**
   * The longest busy-wait for an answer before sleeping, in µs; default 200. Waking a sleeping
   * process costs ~50 µs here, a spinning round trip well under 1 µs (shared BRIEF §1). The
   * client narrows the window while answers take longer than 0.5 ms (a crowded machine, where
   * spinning takes the server's CPU time) and widens it back when they are quick.
   */
  readonly spinMicros?: number;
  /** Reconnection after a server restart. */
  readonly reconnect?: ReconnectOptions;
  /**
   * An operator's client (the CLI's `stats`, `ping`, `get`, `list`): when every ordinary slot
   * is taken it may use the slot the server keeps for operators, in which a session may only
   * ping, read stats, get and list (spec/transport.md#operator-slots). Default false.
   */
  readonly operator?: boolean;
  /**
   * How long `connect` waits for a server that is starting, in ms: while the channel has no
   * segment, or one whose server is not `Ready` (or is gone), it tries again with a short
   * back-off instead of failing at once, then fails with `Unavailable` naming the channel.
   * Other failures (`PermissionDenied`, `ServerFull`, `Unauthenticated`, ...) end it at once.
   * Default 0: fail at once (spec/transport.md#connecting).
   */
  readonly waitForServer?: number;
  /**
   * What a request made while disconnected does: `'wait'` (default) until the client is
   * connected again or the request's timeout passes; `'fail'` at once with `Unavailable`.
   */
  readonly whileDisconnected?: 'wait' | 'fail';
}

/** Per-request options. */
export interface CallOptions {
  /** Overrides the client's default timeout, in ms. */
  readonly timeoutMs?: number;
  /** Aborting fails the request with `Aborted` (a write may still have been applied). */
  readonly signal?: AbortSignalLike;
}

/** Options with every default filled in. */
export interface ResolvedOptions {
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly clientName: string | undefined;
  readonly credentials: Uint8Array | undefined;
  readonly spinMicros: number;
  readonly reconnect: Required<ReconnectOptions>;
  readonly whileDisconnected: 'wait' | 'fail';
  readonly operator: boolean;
  readonly waitForServer: number;
}

/** Fills in the defaults; throws `InvalidArgument` for a `waitForServer` that is no duration. */
export function resolveOptions(options: ConnectOptions): ResolvedOptions {
  const waitForServer = options.waitForServer ?? 0;
  // NaN or a negative value would poll forever or not at all without saying why.
  if (typeof waitForServer !== 'number' || !(waitForServer >= 0) || waitForServer > 2 ** 31) {
    throw new IpcError(
      ErrorCode.InvalidArgument,
      `waitForServer must be a number of ms from 0 to 2^31, not ${String(waitForServer)}`,
    );
  }
  return {
    timeoutMs: options.timeoutMs ?? 30_000,
    // The caller's timeout covers the connect too: `--timeout 500` against a stopped server
    // took 5.3 s when only the connect's own default applied (issue #19, item 8).
    connectTimeoutMs: options.connectTimeoutMs ?? Math.min(5_000, options.timeoutMs ?? 5_000),
    clientName: options.clientName,
    credentials: options.credentials,
    spinMicros: options.spinMicros ?? 200,
    reconnect: {
      enabled: options.reconnect?.enabled ?? true,
      initialDelayMs: options.reconnect?.initialDelayMs ?? 50,
      maxDelayMs: options.reconnect?.maxDelayMs ?? 2_000,
    },
    whileDisconnected: options.whileDisconnected ?? 'wait',
    operator: options.operator ?? false,
    waitForServer,
  };
}
