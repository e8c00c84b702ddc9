// Client side of the Unix-socket baseline (uds-server.ts): `connections` sockets, requests
// spread over them round-robin and pipelined on each, every answer matched to its request by
// id. Length-prefixed JSON end to end: a put sends its document parsed into the request's
// JSON, every answer is parsed whole, as a typical JSON-over-socket client does. Only node:
// modules, so Bun and Deno run it too.
import type { Buffer } from 'node:buffer';
import { connect, type Socket } from 'node:net';
import type { BenchTarget } from '../types.ts';
import { FrameReader, frameOf } from './uds-server.ts';

/** An answer as it arrives. */
interface Response {
  readonly id?: unknown;
  readonly ok?: unknown;
  readonly value?: unknown;
  readonly items?: unknown;
  readonly error?: unknown;
  readonly code?: unknown;
}

/** A request waiting for its answer. */
interface Pending {
  resolve(response: Response): void;
  reject(error: Error): void;
}

/** A failure the server reported, with its ErrorCode when it sent one. */
export class UdsError extends Error {
  readonly code: number | undefined;

  constructor(message: string, code: number | undefined) {
    super(message);
    this.name = 'UdsError';
    this.code = code;
  }
}

/** Answers are not limited: the client asked for them (a list of large documents is large). */
const MAX_ANSWER_BYTES = 0xffff_ffff;

/** One socket and the requests in flight on it. */
class Connection {
  readonly #socket: Socket;
  readonly #frames = new FrameReader(MAX_ANSWER_BYTES);
  readonly #pending = new Map<number, Pending>();
  /** Called once nothing is in flight (only close() waits for that). */
  #idle: (() => void) | undefined;
  #failure: Error | undefined;
  readonly #closed: Promise<void>;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      if (!this.#frames.push(chunk, (frame) => this.#answer(frame))) this.#broken('a huge frame');
    });
    socket.on('error', (error) => this.#fail(error));
    this.#closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.#fail(new Error('the Unix-socket server closed the connection'));
        resolve();
      }),
    );
  }

  /** Connects to `path`; rejects when the connection fails. */
  static open(path: string): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect(path);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new Connection(socket));
      });
    });
  }

  /** Sends one request (its JSON); resolves with the server's `ok` answer. */
  send(id: number, request: string): Promise<Response> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#socket.write(frameOf([request]));
    });
  }

  /** Waits for the answers in flight, then ends the connection and waits for it to close. */
  async end(): Promise<void> {
    if (this.#pending.size > 0) {
      await new Promise<void>((resolve) => {
        this.#idle = resolve;
      });
    }
    this.#socket.end();
    await this.#closed;
  }

  #answer(frame: Buffer): void {
    let response: Response;
    try {
      response = JSON.parse(frame.toString('utf8')) as Response;
    } catch {
      this.#broken('an answer that is not JSON');
      return;
    }
    const id = typeof response?.id === 'number' ? response.id : undefined;
    const pending = id === undefined ? undefined : this.#pending.get(id);
    if (id === undefined || pending === undefined) {
      this.#broken(`an answer to no request (id ${JSON.stringify(response?.id)})`);
      return;
    }
    this.#pending.delete(id);
    if (response.ok === true) pending.resolve(response);
    else {
      const code = typeof response.code === 'number' ? response.code : undefined;
      pending.reject(new UdsError(`Unix-socket server: ${String(response.error)}`, code));
    }
    if (this.#pending.size === 0) this.#idle?.();
  }

  #broken(what: string): void {
    this.#fail(new Error(`the Unix-socket server sent ${what}`));
    this.#socket.destroy();
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const pending of this.#pending.values()) pending.reject(this.#failure);
    this.#pending.clear();
    this.#idle?.();
  }
}

/**
 * A client of the Unix-socket baseline at `socketPath` over `connections` sockets, all
 * connected before this resolves. Requests go round-robin over the sockets; close() lets the
 * requests in flight finish, then ends every connection.
 */
export async function udsTarget(socketPath: string, connections: number): Promise<BenchTarget> {
  if (!Number.isInteger(connections) || connections < 1) {
    throw new RangeError(`connections must be a positive integer, got ${connections}`);
  }
  const opened = await Promise.allSettled(
    Array.from({ length: connections }, () => Connection.open(socketPath)),
  );
  const sockets = opened.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const refused = opened.find((result) => result.status === 'rejected');
  if (refused !== undefined) {
    await Promise.all(sockets.map((socket) => socket.end()));
    throw refused.reason;
  }
  const decoder = new TextDecoder();
  let nextId = 1;
  let next = 0;
  let closing: Promise<void> | undefined;

  const call = (op: string, fields: string): Promise<Response> => {
    if (closing !== undefined) return Promise.reject(new Error('the Unix-socket target is closed'));
    const id = nextId++;
    const socket = sockets[next] as Connection;
    next = next + 1 === sockets.length ? 0 : next + 1;
    return socket.send(id, `{"id":${id},"op":"${op}",${fields}}`);
  };

  return {
    transport: 'uds',
    async get(key) {
      return (await call('get', `"key":${JSON.stringify(key)}`)).value;
    },
    async put(key, json) {
      const value: unknown = JSON.parse(decoder.decode(json));
      const fields = `"key":${JSON.stringify(key)},"value":${JSON.stringify(value)}`;
      return (await call('put', fields)).value;
    },
    async list(prefix, limit) {
      const fields = `"prefix":${JSON.stringify(prefix)},"limit":${JSON.stringify(limit)}`;
      return (await call('list', fields)).items;
    },
    close() {
      closing ??= Promise.all(sockets.map((socket) => socket.end())).then(() => {});
      return closing;
    },
  };
}
