// Baseline 2: a Unix-domain socket speaking length-prefixed JSON, the way a typical local
// JSON-over-socket server works (Node `net`), over the same store as the IPC server.
//
// Each message, both ways, is a u32 little-endian byte length, then that many bytes of UTF-8
// JSON. Requests: {"id": n, "op": "get" | "put" | "list", "key"?, "value"? (the document as a
// JSON object), "prefix"?, "limit"?}. Responses: {"id": n, "ok": true, "value"?, "items"?} or
// {"id": n, "ok": false, "error": "...", "code": <ErrorCode>}. A connection may pipeline
// requests; they are answered in the order they arrived. A frame over MAX_FRAME_BYTES closes
// the connection (its length is all there is to go by: nothing of it can be answered).
//
//   get  → value: the stored document (absent when the key does not exist)
//   put  → value: {"hlc": "<decimal>", "count": n}
//   list → items: [{"key": "...", "value": {...}}, ...], keys starting with `prefix` in key
//          order, at most `limit` (absent or 0: 100; above 10,000: 10,000), as the IPC List
//
// Stored documents are spliced into responses as the store keeps them (UTF-8 JSON bytes), not
// parsed and serialised again; requests are parsed whole, `value` included, as such a server
// does.
import { Buffer } from 'node:buffer';
import { rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { ErrorCode, IpcError, type JsonObject } from '@pluresdb-ipc/protocol';
import type { Store } from '@pluresdb-ipc/store';

/** Frames (the JSON after the length) larger than this close the connection. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** How close() lets requests in flight finish before it drops their connections. */
const CLOSE_GRACE_MS = 1_000;

/**
 * Splits a byte stream into length-prefixed frames, whatever the reads' boundaries: a frame
 * may arrive in many chunks, and one chunk may hold many frames.
 */
export class FrameReader {
  readonly #maxFrameBytes: number;
  #chunks: Buffer[] = [];
  #buffered = 0;
  /** Bytes needed before anything can be decoded: a header, or a header and its frame. */
  #wanted = 4;

  constructor(maxFrameBytes: number) {
    this.#maxFrameBytes = maxFrameBytes;
  }

  /**
   * Adds `chunk` and calls `onFrame` with each frame it completes (a view into the stream's
   * bytes, valid for the call). Returns false, having dropped everything, as soon as a
   * header announces a frame over the limit.
   */
  push(chunk: Buffer, onFrame: (frame: Buffer) => void): boolean {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    if (this.#buffered < this.#wanted) return true;
    // One copy per completed frame at most: chunks are joined only once enough have arrived.
    const data = this.#chunks.length === 1 ? chunk : Buffer.concat(this.#chunks, this.#buffered);
    let at = 0;
    let wanted = 4;
    while (data.length - at >= 4) {
      const length = data.readUInt32LE(at);
      if (length > this.#maxFrameBytes) {
        this.#chunks = [];
        this.#buffered = 0;
        return false;
      }
      if (data.length - at - 4 < length) {
        wanted = 4 + length;
        break;
      }
      onFrame(data.subarray(at + 4, at + 4 + length));
      at += 4 + length;
    }
    const rest = data.length - at;
    this.#chunks = rest === 0 ? [] : [data.subarray(at)];
    this.#buffered = rest;
    this.#wanted = wanted;
    return true;
  }
}

/** One frame: the u32 LE length of `parts` (strings as UTF-8), then the parts. */
export function frameOf(parts: readonly (string | Uint8Array)[]): Buffer {
  let length = 0;
  for (const part of parts) {
    length += typeof part === 'string' ? Buffer.byteLength(part) : part.byteLength;
  }
  const frame = Buffer.allocUnsafe(4 + length);
  frame.writeUInt32LE(length, 0);
  let at = 4;
  for (const part of parts) {
    if (typeof part === 'string') at += frame.write(part, at);
    else {
      frame.set(part, at);
      at += part.byteLength;
    }
  }
  return frame;
}

/** A running Unix-socket baseline server. */
export interface UdsServer {
  /** The socket's path. */
  readonly path: string;
  /**
   * Stops accepting connections and reading requests, lets the ones read finish and be
   * answered (for up to a second), then closes every connection and removes the socket file.
   * The store stays the caller's.
   */
  close(): Promise<void>;
}

/** A request as it arrives (nothing of it trusted yet). */
interface Request {
  readonly id?: unknown;
  readonly op?: unknown;
  readonly key?: unknown;
  readonly value?: unknown;
  readonly prefix?: unknown;
  readonly limit?: unknown;
}

/** A response slot, in request order; `frame` is set once its answer is known. */
interface Slot {
  frame: Buffer | undefined;
}

/**
 * Serves `store` on a Unix-domain socket at `path`. Fails (EADDRINUSE) if the path exists:
 * the file is someone else's to remove.
 */
export async function serveUds(store: Store, path: string): Promise<UdsServer> {
  const connections = new Set<Connection>();
  let closing: Promise<void> | undefined;
  // allowHalfOpen: a client that ends its side after its last request still gets the answers.
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    const connection = new Connection(store, socket, () => connections.delete(connection));
    connections.add(connection);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    path,
    close() {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          for (const connection of connections) connection.destroy();
        }, CLOSE_GRACE_MS);
        server.close(() => {
          clearTimeout(timer);
          // Node removes the file itself on close; this covers the runtimes that do not.
          rmSync(path, { force: true });
          resolve();
        });
        for (const connection of connections) connection.finish();
      });
      return closing;
    },
  };
}

/** One client connection: reads frames, answers them in order. */
class Connection {
  readonly #store: Store;
  readonly #socket: Socket;
  readonly #frames = new FrameReader(MAX_FRAME_BYTES);
  /** Answers not yet written, oldest first; empty while every answer so far is written. */
  readonly #slots: Slot[] = [];
  /** No more requests are read: the client ended its side, or the server closes. */
  #finishing = false;

  constructor(store: Store, socket: Socket, onClose: () => void) {
    this.#store = store;
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => this.#read(chunk));
    socket.on('end', () => this.finish());
    // A client that vanished: nothing to answer; 'close' follows.
    socket.on('error', () => {});
    socket.on('close', onClose);
  }

  /** Reads no more requests; ends the connection once every request read is answered. */
  finish(): void {
    if (this.#finishing) return;
    this.#finishing = true;
    this.#socket.pause();
    if (this.#slots.length === 0) this.#socket.end();
  }

  destroy(): void {
    this.#socket.destroy();
  }

  #read(chunk: Buffer): void {
    if (this.#finishing) return;
    // Every answer a chunk of pipelined requests produces at once leaves in one write, and its
    // puts commit together, as the IPC server's pass does.
    this.#socket.cork();
    const ok = this.#store.commitTogether(() =>
      this.#frames.push(chunk, (frame) => this.#request(frame)),
    );
    this.#socket.uncork();
    if (!ok) this.#socket.destroy();
  }

  #request(frame: Buffer): void {
    let request: Request;
    try {
      request = JSON.parse(frame.toString('utf8')) as Request;
    } catch {
      this.#answer(errorFrame(null, new IpcError(ErrorCode.Malformed, 'request is not JSON')));
      return;
    }
    const id = typeof request?.id === 'number' ? request.id : null;
    try {
      switch (request.op) {
        case 'get':
          this.#answer(this.#get(id, request));
          return;
        case 'list':
          this.#answer(this.#list(id, request));
          return;
        case 'put':
          this.#put(id, request);
          return;
        default:
          throw new IpcError(ErrorCode.InvalidArgument, `unknown op ${JSON.stringify(request.op)}`);
      }
    } catch (error) {
      this.#answer(errorFrame(id, error));
    }
  }

  #get(id: number | null, request: Request): Buffer {
    const json = this.#store.getJson(request.key as string);
    return json === undefined
      ? frameOf([`{"id":${id},"ok":true}`])
      : frameOf([`{"id":${id},"ok":true,"value":`, json, '}']);
  }

  #list(id: number | null, request: Request): Buffer {
    const { prefix = '', limit } = request;
    const page = this.#store.listJson({
      prefix: prefix as string,
      ...(limit === undefined ? {} : { limit: limit as number }),
    });
    const parts: (string | Uint8Array)[] = [`{"id":${id},"ok":true,"items":[`];
    for (const item of page.items) {
      const opening = parts.length === 1 ? '{"key":' : ',{"key":';
      parts.push(`${opening}${JSON.stringify(item.id)},"value":`, item.data, '}');
    }
    parts.push(']}');
    return frameOf(parts);
  }

  #put(id: number | null, request: Request): void {
    // The answer's place in line is taken now; the store answers later.
    const slot: Slot = { frame: undefined };
    this.#slots.push(slot);
    this.#store.put(request.key as string, request.value as JsonObject).then(
      ({ hlc, count }) => {
        slot.frame = frameOf([`{"id":${id},"ok":true,"value":{"hlc":"${hlc}","count":${count}}}`]);
        this.#flush();
      },
      (error: unknown) => {
        slot.frame = errorFrame(id, error);
        this.#flush();
      },
    );
  }

  #answer(frame: Buffer): void {
    if (this.#slots.length === 0) this.#socket.write(frame);
    else this.#slots.push({ frame });
  }

  /** Writes the answers at the head of the line that are ready. */
  #flush(): void {
    const slots = this.#slots;
    let ready = 0;
    while (ready < slots.length && (slots[ready] as Slot).frame !== undefined) ready++;
    if (ready === 0) return;
    this.#socket.cork();
    for (const slot of slots.splice(0, ready)) this.#socket.write(slot.frame as Buffer);
    this.#socket.uncork();
    if (this.#finishing && slots.length === 0) this.#socket.end();
  }
}

function errorFrame(id: number | null, error: unknown): Buffer {
  const failure = IpcError.from(error, ErrorCode.Internal);
  return frameOf([
    JSON.stringify({ id, ok: false, error: failure.rawMessage, code: failure.code }),
  ]);
}
