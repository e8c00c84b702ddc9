// Client side of the HTTP baseline (http-server.ts): an undici Pool of keep-alive connections,
// one request at a time on each (pipelining 1, as browsers and most HTTP clients do), so the
// baseline is HTTP as it is commonly deployed rather than a best case.
import { ErrorCode, IpcError, type JsonObject } from '@pluresdb-ipc/protocol';
import { isErrorCode } from '@pluresdb-ipc/protocol/messages';
import type { Dispatcher } from 'undici';
import { Pool } from 'undici';

/** A keep-alive HTTP client of the baseline server. */
export interface HttpClient {
  /** The stored JSON bytes of `key`, or undefined when it does not exist. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Replaces the document `key` with `json` (UTF-8 JSON bytes of one object). */
  put(key: string, json: Uint8Array): Promise<void>;
  /** Up to `limit` records whose keys start with `prefix`, in key order (0: the server's 100). */
  list(prefix: string, limit: number): Promise<ListItem[]>;
  /** Closes every connection once the requests in flight have finished; idempotent. */
  close(): Promise<void>;
}

/** One record of a {@link HttpClient.list} answer. */
export interface ListItem {
  readonly key: string;
  readonly value: JsonObject;
}

// Shorter than the server's keep-alive (65 s) so the client retires idle sockets first, and
// long enough that pauses between benchmark phases do not cost new connections.
const KEEP_ALIVE_MS = 30_000;
const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * A client of the baseline server on 127.0.0.1:`port` with up to `connections` keep-alive
 * connections. Failures reject with an IpcError carrying the server's error code.
 */
export function httpClient(port: number, connections: number): HttpClient {
  const pool = new Pool(`http://127.0.0.1:${port}`, {
    connections,
    pipelining: 1,
    keepAliveTimeout: KEEP_ALIVE_MS,
    keepAliveMaxTimeout: KEEP_ALIVE_MS,
  });
  let closing: Promise<void> | undefined;
  return {
    async get(key) {
      const res = await pool.request({ path: docPath(key), method: 'GET' });
      if (res.statusCode === 200) return res.body.bytes();
      if (res.statusCode === 404) {
        // Every body is read to its end: undici reuses a connection only after that.
        await res.body.dump();
        return undefined;
      }
      throw await failure(res);
    },
    async put(key, json) {
      const res = await pool.request({
        path: docPath(key),
        method: 'PUT',
        headers: JSON_HEADERS,
        body: json,
      });
      if (res.statusCode !== 200) throw await failure(res);
      await res.body.dump();
    },
    async list(prefix, limit) {
      const res = await pool.request({
        path: `/docs/?prefix=${encodeURIComponent(prefix)}&limit=${limit}`,
        method: 'GET',
      });
      if (res.statusCode !== 200) throw await failure(res);
      return (await res.body.json()) as ListItem[];
    },
    close() {
      // Idempotent: undici rejects a second close of the same pool.
      closing ??= pool.close();
      return closing;
    },
  };
}

function docPath(key: string): string {
  return `/docs/${encodeURIComponent(key)}`;
}

// Rebuilds the server's IpcError from its JSON error body; the status decides when the body
// is not one (a proxy's page, a truncated response).
async function failure(res: Dispatcher.ResponseData): Promise<IpcError> {
  const text = await res.body.text();
  try {
    const { code, message } = JSON.parse(text) as { code?: unknown; message?: unknown };
    if (typeof code === 'number' && isErrorCode(code) && typeof message === 'string') {
      return new IpcError(code, `HTTP ${res.statusCode}: ${message}`);
    }
  } catch {
    // Not JSON: fall through to the status.
  }
  const code = res.statusCode === 413 ? ErrorCode.TooLarge : ErrorCode.Internal;
  return new IpcError(code, `HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
}
