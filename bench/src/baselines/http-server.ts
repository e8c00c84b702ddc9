// The HTTP/1.1 keep-alive baseline of the benchmark: the same store as the IPC server, behind
// node:http on loopback, so the comparison measures only the transport.
//   GET /docs/<urlencoded key>  → 200 JSON bytes | 404
//   PUT /docs/<urlencoded key>  → 200 {"hlc":"<decimal>","count":n}
//   GET /docs/?prefix=P&limit=N → 200 [{"key":"...","value":{...}}, ...]: the live records whose
//                                 keys start with P, in key order, at most N (absent or 0: 100;
//                                 above 10,000: 10,000), as the IPC server's List answers
// Failures answer {"code":<ErrorCode>,"error":"<name>","message":"..."}: 400 bad input, 413 too
// large, 500 anything else.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import { errorCodeName } from '@pluresdb-ipc/protocol/messages';
import type { Store } from '@pluresdb-ipc/store';

/** Request bodies larger than this are refused with 413 before reaching the store. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Options of {@link serveHttp}. */
export interface ServeHttpOptions {
  /** Interface to listen on; default `127.0.0.1`. */
  readonly host?: string;
}

/** A running HTTP baseline server. */
export interface HttpServer {
  /** The ephemeral port it listens on. */
  readonly port: number;
  /** Stops accepting connections, lets in-flight requests finish, then closes every socket. */
  close(): Promise<void>;
}

const PREFIX = '/docs/';
// Longer than the client's keep-alive (http-client.ts) so the client, not the server, is the
// side that retires idle sockets: a server-side close can race a request already being sent.
const KEEP_ALIVE_MS = 65_000;
// How long close() lets in-flight requests finish before it drops their connections.
const CLOSE_GRACE_MS = 1_000;

/**
 * Serves `store` over HTTP/1.1 with keep-alive on `options.host` (default 127.0.0.1), on an
 * ephemeral port. The store stays owned by the caller: `close()` does not close it.
 */
export async function serveHttp(store: Store, options: ServeHttpOptions = {}): Promise<HttpServer> {
  // noDelay: every response is one small write; Nagle would add up to 40 ms to each.
  const server = createServer({ keepAlive: true, noDelay: true }, (req, res) => {
    handle(store, req, res).catch((error: unknown) => fail(res, error));
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        // Busy keep-alive sockets would hold server.close() open forever; after the grace
        // period they are cut, which only aborts requests that were still running.
        const timer = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

async function handle(store: Store, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '';
  if (!url.startsWith(PREFIX)) return reply(res, 404, errorBody(ErrorCode.NotFound, 'no route'));
  const query = url.indexOf('?');
  const key = decodeURIComponent(url.slice(PREFIX.length, query < 0 ? undefined : query));
  // No key is no record: `/docs/` itself is the collection, listed by prefix.
  if (key === '' && req.method === 'GET') {
    return listRoute(store, res, query < 0 ? '' : url.slice(query + 1));
  }
  if (req.method === 'GET') {
    const json = store.getJson(key);
    if (json === undefined) return reply(res, 404, errorBody(ErrorCode.NotFound, 'no such key'));
    return reply(res, 200, json);
  }
  if (req.method === 'PUT') {
    const body = await readBody(req);
    if (body === undefined) return refuseLargeBody(res);
    const { hlc, count } = await store.putJson(key, body);
    return reply(res, 200, `{"hlc":"${hlc}","count":${count}}`);
  }
  res.setHeader('allow', key === '' ? 'GET' : 'GET, PUT');
  reply(res, 405, errorBody(ErrorCode.InvalidArgument, `method ${req.method} not allowed`));
}

// The page as a JSON array, each record's stored JSON bytes spliced in unparsed (the IPC
// server does not parse them either).
function listRoute(store: Store, res: ServerResponse, search: string): void {
  const params = new URLSearchParams(search);
  const limitText = params.get('limit');
  if (limitText !== null && !/^\d{1,15}$/.test(limitText)) {
    reply(res, 400, errorBody(ErrorCode.InvalidArgument, 'limit must be a whole number'));
    return;
  }
  const page = store.listJson({
    prefix: params.get('prefix') ?? '',
    ...(limitText === null ? {} : { limit: Number(limitText) }),
  });
  const parts: Uint8Array[] = [OPEN_BRACKET];
  for (const item of page.items) {
    const opening = parts.length === 1 ? '{"key":' : ',{"key":';
    parts.push(
      Buffer.from(`${opening}${JSON.stringify(item.id)},"value":`),
      item.data,
      CLOSE_BRACE,
    );
  }
  parts.push(CLOSE_BRACKET);
  reply(res, 200, Buffer.concat(parts));
}

const OPEN_BRACKET = Buffer.from('[');
const CLOSE_BRACKET = Buffer.from(']');
const CLOSE_BRACE = Buffer.from('}');

// The whole body as one buffer, or undefined once it exceeds MAX_BODY_BYTES. The rest of an
// oversized body is read and dropped (not left in the socket) so the 413 reaches the client
// before the connection closes.
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
    // Unconsumed, so node:http drains it itself once the response is sent.
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      if (length > MAX_BODY_BYTES) return;
      length += chunk.length;
      if (length <= MAX_BODY_BYTES) chunks.push(chunk);
      else {
        chunks.length = 0;
        resolve(undefined);
      }
    });
    req.once('error', reject);
    // One chunk (the common case for small documents) is passed on as is, without a copy.
    req.once('end', () => {
      if (length > MAX_BODY_BYTES) return;
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length));
    });
  });
}

function refuseLargeBody(res: ServerResponse): void {
  // The client may still be sending the body: ending the connection is the only way to tell
  // where the next request would start.
  res.setHeader('connection', 'close');
  reply(res, 413, errorBody(ErrorCode.TooLarge, `request body exceeds ${MAX_BODY_BYTES} bytes`));
}

function fail(res: ServerResponse, error: unknown): void {
  // A failure after the response started (a client that went away) has nothing left to answer.
  if (res.headersSent) res.destroy();
  else if (error instanceof URIError) {
    reply(res, 400, errorBody(ErrorCode.InvalidArgument, 'key is not valid URL encoding'));
  } else {
    const failure = IpcError.from(error);
    reply(res, statusOf(failure.code), errorBody(failure.code, failure.rawMessage));
  }
}

function statusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.InvalidArgument:
    case ErrorCode.Malformed:
      return 400;
    case ErrorCode.NotFound:
      return 404;
    case ErrorCode.TooLarge:
      return 413;
    default:
      return 500;
  }
}

function errorBody(code: ErrorCode, message: string): string {
  return JSON.stringify({ code, error: errorCodeName(code), message });
}

function reply(res: ServerResponse, status: number, body: string | Uint8Array): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
  });
  res.end(body);
}
