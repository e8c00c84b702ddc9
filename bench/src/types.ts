// The benchmark's shared vocabulary: what a row of results holds, and what every transport
// under test offers to the measuring code.

/** How a client reaches the data. */
export type TransportName =
  | 'ipc' // PluresDB IPC over shared memory (the thing under test)
  | 'http' // HTTP/1.1 keep-alive on localhost: node:http server, undici client
  | 'uds' // a Unix-domain socket, length-prefixed JSON, Node `net`
  | 'redis' // redis-server over a Unix socket, the official client (@redis/client)
  | 'in-process' // the store called directly in the client's process (the JavaScript floor)
  | 'sqlite' // SQLite in the client's process (better-sqlite3): an embedded database's read
  | 'shm-pingpong'; // bare shared-memory rings with an 8-byte frame (the transport floor)

/** The runtime a client process runs in. */
export type RuntimeName = 'node' | 'bun' | 'deno';

/** One row of `bench/results/latest.json`. Times in µs, CPU in µs per operation. */
export interface ResultRow {
  readonly runtime: RuntimeName;
  readonly transport: TransportName;
  /** e.g. `get 100 B`, `getSync 100 B`, `put 100 B`, `get 10 KiB`, `list 100`, `ping`. */
  readonly scenario: string;
  readonly inFlight: number;
  readonly clients: number;
  readonly p50_us: number;
  readonly p99_us: number;
  readonly p999_us: number;
  readonly ops_per_s: number;
  /** Client processes' CPU time per operation (user + system). */
  readonly client_cpu_us_per_op: number;
  /** The server process's CPU time per operation; 0 where there is no server. */
  readonly server_cpu_us_per_op: number;
  /** Peak resident memory of the (largest) client process, MiB. */
  readonly client_peak_rss_mib: number;
  /** Peak resident memory of the server process, MiB; 0 where there is no server. */
  readonly server_peak_rss_mib: number;
}

/** A transport as the measuring code in a client process sees it. */
export interface BenchTarget {
  readonly transport: TransportName;
  /** The stored JSON bytes of `key` (any non-undefined value counts as found). */
  get(key: string): Promise<unknown>;
  /** Replaces `key` with the JSON object in `json`. */
  put(key: string, json: Uint8Array): Promise<unknown>;
  /** Up to `limit` records whose keys start with `prefix`, in key order. */
  list(prefix: string, limit: number): Promise<unknown>;
  /** A round trip without a payload, where the transport has one. */
  ping?(): Promise<unknown>;
  /** The number of records whose keys start with `prefix`, where the transport has it. */
  count?(prefix: string): Promise<unknown>;
  /**
   * `get` as a call that blocks until the answer is there, where the client has one (the IPC
   * clients' `getBytesSync`): no promise, no event-loop turn.
   */
  getSync?(key: string): unknown;
  close(): Promise<void>;
}
