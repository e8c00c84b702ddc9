// The client's connection to its server: establishing a session (claim a slot, Hello, HelloOk:
// spec/transport.md#connecting), reconnecting in the background once one is lost, and letting
// requests wait for the next session. The answer pump (answer-pump.ts) and the request
// bookkeeping (client-core.ts) build on it.
import { IpcError } from '../errors.ts';
import { decodeFrame } from '../gen/readers.ts';
import { ErrorCode, type HelloOk, type RequestBody, type Response } from '../gen/types.ts';
import type { Platform } from '../transport/platform.ts';
import { checkChannelName } from '../transport/segment-name.ts';
import { MAX_SLEEP_MS } from '../transport/wait-timing.ts';
import { now } from '../wire/clock.ts';
import { defaultVerifyLimits, type VerifyLimits } from '../wire/verifier.ts';
import { type ConnectOptions, type ResolvedOptions, resolveOptions } from './client-options.ts';
import { ClientSession, remaining } from './client-session.ts';

/** First and longest pause between the attempts of `waitForServer`, in ms. */
const FIRST_POLL_MS = 5;
const MAX_POLL_MS = 100;

/** The protocol versions this client speaks (spec/versioning.md). */
export const CLIENT_PROTOCOL = { min: 1, max: 2 } as const;

/** A client's session with its server, kept up: the base of {@link ClientCore}. */
export abstract class ClientConnection {
  /** The channel this client talks to. */
  readonly channel: string;
  protected readonly platform: Platform;
  protected readonly options: ResolvedOptions;
  protected session: ClientSession | undefined;
  protected sessionTerms: HelloOk | undefined;
  protected limits: VerifyLimits = defaultVerifyLimits;
  protected nextId = 1;
  protected reconnecting: Promise<void> | undefined;
  /** Ends the reconnect loop's current delay at once (set while it waits). */
  protected endRetryDelay: (() => void) | undefined;
  /** Requests waiting for a session, woken when one is established or the client closes. */
  protected readonly waiters = new Set<() => void>();
  protected closed = false;

  protected constructor(platform: Platform, channel: string, options: ConnectOptions) {
    checkChannelName(channel);
    this.platform = platform;
    this.channel = channel;
    this.options = resolveOptions(options);
  }

  /** The terms of the current session (from HelloOk), or undefined while disconnected. */
  get terms(): HelloOk | undefined {
    return this.sessionTerms;
  }

  /** True while a session is established. */
  get connected(): boolean {
    return this.session !== undefined && this.session.failure(false) === undefined;
  }

  /** Encodes a request; refuses (sending nothing) a frame over the session's limit. */
  protected abstract encode(id: number, body: RequestBody, session: ClientSession): Uint8Array;

  /** Waits (bounded by `deadline`) for a session, or fails at once when told to. */
  protected waitForSession(deadline: number): Promise<ClientSession> {
    if (this.closed) return Promise.reject(new IpcError(ErrorCode.Closed, 'the client is closed'));
    if (this.options.whileDisconnected === 'fail' || !this.options.reconnect.enabled) {
      return Promise.reject(
        new IpcError(ErrorCode.Unavailable, `not connected to channel "${this.channel}"`),
      );
    }
    this.reconnectInBackground();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.session) {
          cleanup();
          resolve(this.session);
        } else if (this.closed || now() >= deadline) {
          cleanup();
          reject(
            this.closed
              ? new IpcError(ErrorCode.Closed, 'the client was closed')
              : new IpcError(
                  ErrorCode.Unavailable,
                  `not connected to channel "${this.channel}" before the timeout`,
                ),
          );
        }
      };
      // Kept alive: the caller awaits this request, and the reconnect's own timers are not
      // (an idle client left unclosed must not hold its process open). Without it a script
      // awaiting a request during a reconnect exited with the promise unsettled (issue #19).
      const cancel = this.platform.setTimer(check, remaining(deadline) + 1, true);
      const cleanup = (): void => {
        cancel();
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  /** Starts the reconnect loop unless it runs already or the client is closed. */
  protected reconnectInBackground(): void {
    if (this.reconnecting || this.closed) return;
    this.reconnecting = this.reconnectLoop().finally(() => {
      this.reconnecting = undefined;
    });
  }

  private async reconnectLoop(): Promise<void> {
    let delay = this.options.reconnect.initialDelayMs;
    while (!this.closed && this.session === undefined) {
      await new Promise<void>((resolve) => {
        const cancel = this.platform.setTimer(resolve, delay);
        this.endRetryDelay = () => {
          cancel();
          resolve();
        };
      });
      this.endRetryDelay = undefined;
      if (this.closed) return;
      try {
        await this.establish();
      } catch {
        delay = Math.min(delay * 2, this.options.reconnect.maxDelayMs);
      }
    }
  }

  /**
   * The first session: {@link establish}, tried again while it fails with `Unavailable` (no
   * segment yet, a server not `Ready` yet, or a dead one a new server will replace) until
   * `waitForServer` ms have passed; polled with a back-off from 5 to 100 ms, so a server that
   * becomes ready is found within 100 ms (spec/transport.md#connecting).
   */
  protected async establishFirst(): Promise<void> {
    const waitMs = this.options.waitForServer;
    const deadline = now() + waitMs;
    let delay = FIRST_POLL_MS;
    for (;;) {
      try {
        await this.establish();
        return;
      } catch (error) {
        if (!IpcError.is(error) || error.code !== ErrorCode.Unavailable || waitMs <= 0) throw error;
        if (remaining(deadline) <= 0) {
          throw new IpcError(
            ErrorCode.Unavailable,
            `no server was ready on channel "${this.channel}" within ${waitMs} ms (${error.rawMessage})`,
            { cause: error },
          );
        }
      }
      const pause = Math.min(delay, remaining(deadline));
      // Kept alive: the caller awaits `connect`, and nothing else may hold its process open.
      await new Promise<void>((resolve) => this.platform.setTimer(resolve, pause, true));
      delay = Math.min(delay * 2, MAX_POLL_MS);
    }
  }

  /** Claims a slot, says Hello and waits for HelloOk (spec/transport.md#connecting). */
  protected async establish(): Promise<void> {
    const deadline = now() + this.options.connectTimeoutMs;
    const session = ClientSession.claim(
      this.platform,
      this.channel,
      CLIENT_PROTOCOL,
      this.options.operator,
    );
    try {
      const self = this.platform.self();
      const id = this.nextId++;
      const hello: RequestBody = {
        type: 'Hello',
        value: {
          protocolVersion: CLIENT_PROTOCOL.max,
          minProtocolVersion: CLIENT_PROTOCOL.min,
          clientName: this.options.clientName,
          runtime: this.platform.runtime,
          pid: self.pid,
          processStart: self.start,
          credentials: this.options.credentials,
        },
      };
      session.send(this.encode(id, hello, session));
      session.open();
      const response = await this.awaitHello(session, id, deadline);
      const terms = checkHelloOk(response, session);
      session.limitFrames(Number(terms.maxFrameBytes));
      this.limits = { ...defaultVerifyLimits, maxBytes: Number(terms.maxFrameBytes) };
      if (this.closed) throw new IpcError(ErrorCode.Closed, 'the client was closed');
      this.session = session;
      this.sessionTerms = terms;
      for (const wake of this.waiters) wake();
    } catch (error) {
      session.unmap();
      throw error;
    }
  }

  /** Reads the handshake's answer (nothing else can arrive before it). */
  private async awaitHello(
    session: ClientSession,
    id: number,
    deadline: number,
  ): Promise<Response> {
    for (;;) {
      const bytes = session.read();
      if (bytes !== undefined) {
        const message = decodeFrame(bytes, this.limits).message;
        if (message.type !== 'Response' || Number(message.value.id) !== id) {
          throw new IpcError(
            ErrorCode.Malformed,
            'the server sent something other than the answer to Hello',
          );
        }
        return message.value;
      }
      const failure = session.failure(false);
      if (failure) throw failure;
      if (now() >= deadline)
        throw new IpcError(
          ErrorCode.Timeout,
          `the server of channel "${this.channel}" did not answer Hello in time`,
        );
      const slept = await session.sleepAsync(Math.min(MAX_SLEEP_MS, remaining(deadline) + 1));
      if (slept === 'timed-out') {
        const dead = session.failure(true);
        if (dead) throw dead;
      }
    }
  }
}

/** Checks HelloOk against the handshake rules (spec/messages.md#handshake). */
function checkHelloOk(response: Response, session: ClientSession): HelloOk {
  if (response.code !== ErrorCode.Ok) {
    throw new IpcError(response.code, response.message ?? 'the server refused the session');
  }
  if (response.body?.type !== 'HelloOk')
    throw new IpcError(ErrorCode.Malformed, 'Hello was not answered with HelloOk');
  const terms = response.body.value;
  if (terms.protocolVersion < CLIENT_PROTOCOL.min || terms.protocolVersion > CLIENT_PROTOCOL.max) {
    throw new IpcError(
      ErrorCode.VersionMismatch,
      `the server chose protocol version ${terms.protocolVersion}`,
    );
  }
  if (
    terms.maxFrameBytes === 0n ||
    terms.maxFrameBytes > 2_147_483_647n ||
    terms.maxValueBytes === 0n ||
    terms.ringBytes !== session.header.ringBytes
  ) {
    throw new IpcError(ErrorCode.Malformed, 'HelloOk breaks the handshake rules');
  }
  return terms;
}
