// The driver process interface: how the conformance runner talks to a client in any language.
// The runner writes one JSON command per line to the driver's stdin; the driver answers each
// with one JSON line on stdout, in any order (commands run concurrently), matched by `id`.
// Subscription events are pushed as lines of their own. Binary data travels as base64 and
// 64-bit integers as decimal strings, so any JSON library can carry them exactly.
// For implementers the protocol is conformance/driver-protocol.md and its JSON Schema,
// driver-protocol.schema.json; these types are the runner's copy, and the runner validates
// every line against the schema (driver-schema.ts), so the two cannot drift apart.
import type { JsonObject } from '@pluresdb-ipc/protocol';

/** Error code of a command the driver could not interpret (unknown op, bad arguments). */
export const DRIVER_ERROR = 'DriverError';
/** Error code of a failure the client did not report as its own error type (a client bug). */
export const FOREIGN_ERROR = 'NotIpcError';

/** A failure: `code` is an `ErrorCode` name (`"NotFound"`), or one of the two codes above. */
export interface WireError {
  readonly code: string;
  readonly message: string;
  /** With `ResumeTooOld`: the oldest seq the server's change log holds (decimal). */
  readonly oldestSeq?: string;
}

/** Arguments every client operation accepts besides its own. */
export interface CallArgs {
  /** Which of the driver's clients runs it (see `connect`); default `"main"`. */
  readonly client?: string;
  /** Use the blocking `*Sync` variant (an error when the operation has none). */
  readonly sync?: boolean;
  /** Per-request timeout, in ms. */
  readonly timeoutMs?: number;
  /** Abort the request through its abort signal this many ms after it starts. */
  readonly abortAfterMs?: number;
  /** Pass a signal that is already aborted. */
  readonly abortBefore?: boolean;
}

/** Options of `connect`: the client's own, with the secret in base64. */
export interface ConnectOptionsJson {
  readonly timeoutMs?: number;
  readonly connectTimeoutMs?: number;
  readonly clientName?: string;
  /** The server's shared secret, base64. */
  readonly credentials?: string;
  /** How long connect waits for a server that is starting, ms (capability `waitForServer`). */
  readonly waitForServer?: number;
  readonly whileDisconnected?: 'wait' | 'fail';
  readonly reconnect?: {
    readonly enabled?: boolean;
    readonly initialDelayMs?: number;
    readonly maxDelayMs?: number;
  };
}

/** A document to write: a JSON object, or (`bytes`, base64) the exact UTF-8 JSON bytes to send. */
export interface DocumentArgs {
  readonly key: string;
  readonly value?: JsonObject;
  readonly bytes?: string;
}

/** Conditions of a write (protocol version 2); `ifHlc` is a decimal string, "0" = none. */
export interface ConditionArgs {
  readonly ifAbsent?: boolean;
  readonly ifHlc?: string;
}

/** A range of keys (protocol version 2): `start` inclusive, `end` exclusive. */
export interface RangeArgs {
  readonly prefix?: string;
  readonly start?: string;
  readonly end?: string;
}

/** One write of `batch`. */
export type BatchWriteJson = (
  | {
      readonly kind: 'put' | 'patch';
      readonly key: string;
      readonly value?: JsonObject;
      readonly bytes?: string;
    }
  | { readonly kind: 'delete'; readonly key: string }
) &
  ConditionArgs;

/** What a write did; `hlc` is a decimal string. */
export interface OutcomeJson {
  readonly hlc: string;
  readonly count: number;
}

/** A record with its CRDT metadata: bytes in base64, 64-bit integers as decimal strings. */
export interface RecordJson {
  readonly key: string;
  readonly data: string | null;
  readonly clock: readonly { readonly actor: string; readonly counter: string }[];
  readonly hlc: string;
  readonly actor: string | null;
  readonly deleted: boolean;
  readonly fields: readonly {
    readonly name: string;
    readonly value: string | null;
    readonly hlc: string;
    readonly actor: string;
  }[];
  readonly deletedHlc: string;
  readonly deletedActor: string | null;
}

/** Server statistics; 64-bit counters as decimal strings. */
export interface StatsJson {
  readonly records: string;
  readonly tombstones: string;
  readonly storeBytes: string;
  readonly clients: number;
  readonly subscriptions: number;
  readonly requests: string;
  readonly uptimeMs: string;
  readonly serverVersion: string | null;
}

/** A committed change pushed to a subscriber. */
export interface ChangeJson {
  readonly kind: 'upsert' | 'delete';
  readonly key: string;
  readonly seq: string;
  readonly hlc: string;
  readonly value: JsonObject | null;
  readonly actor: string | null;
}

/** Size and SHA-256 (lowercase hex) of a value's bytes. */
export interface DigestJson {
  readonly length: number;
  readonly sha256: string;
}

/** One golden vector checked by the driver's own codec. */
export interface VectorResultJson {
  readonly name: string;
  /** The `.bin` decodes to the values of the `.json`. */
  readonly decoded: boolean;
  /** Encoding the frame the `.json` describes gives the `.bin`'s exact bytes. */
  readonly encoded: boolean;
  /** Why one of them failed. */
  readonly detail?: string;
}

/** The arguments of an operation that takes none of its own. */
export type NoArgs = Record<never, never>;

/** Every operation: its arguments (besides `id`, `op` and {@link CallArgs}) and its answer. */
export interface DriverOps {
  /** The driver's runtime and its version. */
  info: { args: NoArgs; value: { runtime: string; version: string } };
  /** Connects a client (replacing one of the same name, which is closed). */
  connect: { args: { channel: string; options?: ConnectOptionsJson }; value: null };
  /** Closes a client; later operations on it fail as a closed client's do. */
  close: { args: NoArgs; value: null };
  put: { args: DocumentArgs & ConditionArgs; value: OutcomeJson };
  patch: { args: DocumentArgs & ConditionArgs; value: OutcomeJson };
  /** The document, or null when there is none. */
  get: { args: { key: string }; value: JsonObject | null };
  /** The document's exact bytes in base64, or null. */
  getBytes: { args: { key: string }; value: string | null };
  getRecord: { args: { key: string }; value: RecordJson | null };
  delete: { args: { key: string } & ConditionArgs; value: OutcomeJson };
  list: {
    args: RangeArgs & { after?: string; limit?: number; reverse?: boolean };
    value: { items: { key: string; value: JsonObject }[]; next: string | null };
  };
  batch: { args: { writes: BatchWriteJson[] }; value: OutcomeJson };
  merge: { args: { record: RecordJson }; value: OutcomeJson };
  stats: { args: NoArgs; value: StatsJson };
  /** Echoes `payload` (base64); null when none came back. */
  ping: { args: { payload?: string }; value: string | null };
  /** Puts a {@link generatedDocument} of exactly `bytes` bytes; answers its digest. */
  putGenerated: { args: { key: string; bytes: number; seed: number }; value: DigestJson };
  /** Digest of `getBytes(key)`, or null when there is no document. */
  digest: { args: { key: string }; value: DigestJson | null };
  /** Subscribes; events arrive as {@link EventLine}s carrying `handle`. */
  subscribe: {
    args: { prefix: string; since?: string; resume?: boolean };
    value: { handle: number; subscriptionId: string; seq: string | null };
  };
  unsubscribe: { args: { handle: number }; value: null };
  /**
   * Runs a 1 ms interval timer for `durationMs` and answers the longest gap between its ticks,
   * in ms: shows whether waiting requests leave the event loop free.
   */
  loopGaps: { args: { durationMs: number }; value: { maxGapMs: number; ticks: number } };
  /** Checks every golden vector in `dir` (`<name>.bin` + `<name>.json`) with the client's codec. */
  vectors: { args: { dir: string }; value: VectorResultJson[] };
  /** Live records in a range (protocol version 2). */
  count: { args: RangeArgs; value: number };
  /** Deletes a range's live records atomically (protocol version 2). */
  deleteRange: { args: RangeArgs; value: OutcomeJson };
  // Data out and in (protocol version 2; spec/crdt.md#export-format, #backup).
  /** Every record under `prefix` with its metadata, tombstones unless `includeDeleted` is false. */
  exportRecords: {
    args: { prefix?: string; includeDeleted?: boolean; pageSize?: number };
    value: RecordJson[];
  };
  /** Merges each record (import = merge), pipelined; answers the totals. */
  importRecords: { args: { records: RecordJson[]; maxInFlight?: number }; value: ImportJson };
  /** Has the server back up its store into directory `path`. */
  backup: { args: { path: string }; value: BackupJson };
}

/** What `importRecords` did. */
export interface ImportJson {
  readonly read: number;
  readonly merged: number;
  readonly unchanged: number;
  readonly failed: number;
}

/** The wire's BackupResult; `bytes` a decimal string. */
export interface BackupJson {
  readonly path: string | null;
  readonly bytes: string;
}

/** An operation's name. */
export type OpName = keyof DriverOps;

/** A command line: `{"id": 7, "op": "get", "key": "a"}`. */
export type Command = { readonly id: number; readonly op: string } & Readonly<
  Record<string, unknown>
>;

/**
 * An answer line. A line that is not a command object with a numeric `id` is answered with
 * `id` null and an error, so a confused runner sees its mistake instead of a silent driver.
 */
export type AnswerLine =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number | null; readonly ok: false; readonly error: WireError };

/** A pushed line: a change, or the end of the subscription (session lost). */
export type EventLine =
  | { readonly event: number; readonly change: ChangeJson }
  | { readonly event: number; readonly end: WireError };
