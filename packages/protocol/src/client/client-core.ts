// The runtime-agnostic client machinery: the session's life (connect, lose, reconnect), request
// ids and matching, pipelining, timeouts, aborts, and the pump that reads answers without
// blocking the event loop for longer than one spin slice.
import { FrameCodec } from '../codec/frame-codec.ts';
import { IpcError } from '../errors.ts';
import { decodeFrame } from '../gen/readers.ts';
import {
  ErrorCode,
  type Event,
  type HelloOk,
  type RequestBody,
  type Response,
  type ResponseBody,
} from '../gen/types.ts';
import type { AbortSignalLike, Platform } from '../transport/platform.ts';
import { checkChannelName } from '../transport/segment-name.ts';
import { now, POLLS_PER_CLOCK_READ } from '../wire/clock.ts';
import { FrameBuilder } from '../wire/frame-builder.ts';
import { defaultVerifyLimits, type VerifyLimits } from '../wire/verifier.ts';
import {
  type CallOptions,
  type ConnectOptions,
  LIVENESS_CHECK_MS,
  type ResolvedOptions,
  resolveOptions,
} from './client-options.ts';
import { ClientSession, remaining } from './client-session.ts';
import { PendingCalls } from './pending-calls.ts';
import { type Answer, type AnswerHandling, answerAsIs, PendingRequest } from './pending-request.ts';
import { SpinBudget } from './spin-budget.ts';

/** The protocol versions this client speaks (spec/versioning.md). */
export const CLIENT_PROTOCOL = { min: 1, max: 1 } as const;
/** Largest spin slice before the pump lets timers and I/O run, in ms. */
const SPIN_SLICE_MS = 0.05;
/** Most frames one {@link ClientCore.drain} reads before the pump lets others run. */
const DRAIN_FRAMES = 1024;

/** Receives a subscription's events, and its end when the session is lost. */
export interface SubscriptionSink {
  event(event: Event): void;
  end(error: IpcError): void;
}

/** The client core; `IpcClient` adds the typed operations on top. */
export class ClientCore {
  /** The channel this client talks to. */
  readonly channel: string;
  protected readonly platform: Platform;
  protected readonly options: ResolvedOptions;
  private session: ClientSession | undefined;
  private sessionTerms: HelloOk | undefined;
  private limits: VerifyLimits = defaultVerifyLimits;
  private readonly pending: PendingCalls;
  private readonly spinBudget: SpinBudget;
  private readonly subscriptions = new Map<bigint, SubscriptionSink>();
  /** Encodes requests and decodes answers, the hottest through templates (codec/). */
  private readonly frames = new FrameCodec(new FrameBuilder(1024));
  private nextId = 1;
  private pumping: Promise<void> | undefined;
  private reconnecting: Promise<void> | undefined;
  /** Ends the reconnect loop's current delay at once (set while it waits). */
  private endRetryDelay: (() => void) | undefined;
  private readonly waiters = new Set<() => void>();
  private closed = false;
  private timedOutWaits = 0;

  protected constructor(platform: Platform, channel: string, options: ConnectOptions) {
    checkChannelName(channel);
    this.platform = platform;
    this.channel = channel;
    this.options = resolveOptions(options);
    this.pending = new PendingCalls(platform);
    this.spinBudget = new SpinBudget(this.options.spinMicros);
  }

  /** The terms of the current session (from HelloOk), or undefined while disconnected. */
  get terms(): HelloOk | undefined {
    return this.sessionTerms;
  }

  /**
   * Futex sleeps that ran their whole timeout while a request was in flight. The server answers
   * in microseconds, so on a live server each one is a lost wake-up; tests assert zero.
   */
  get transportTimeouts(): number {
    return this.timedOutWaits;
  }

  /** True while a session is established. */
  get connected(): boolean {
    return this.session !== undefined && this.session.failure(false) === undefined;
  }

  /** Establishes the first session; throws `Unavailable` when no server runs. */
  protected async start(): Promise<void> {
    await this.establish();
  }

  /**
   * Closes the client: pending requests fail with `Closed`, subscriptions end, the slot is
   * freed. Idempotent.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new IpcError(ErrorCode.Closed, 'the client was closed');
    const session = this.session;
    this.session = undefined;
    this.sessionTerms = undefined;
    this.pending.failAll(error);
    this.endSubscriptions(error);
    for (const wake of this.waiters) wake();
    if (session) {
      session.leave();
      await this.pumping;
      session.unmap();
    }
    // The delay's timer does not keep the process alive: awaited, it left `close()` unsettled
    // and a script ended with exit code 13.
    this.endRetryDelay?.();
    await this.reconnecting?.catch(() => undefined);
  }

  /**
   * Sends a request and resolves with the body that answers it, passed through
   * `handling.map` when given (a constant object, so a request allocates no handler). Never
   * throws: every failure is a rejection.
   */
  protected call<T extends ResponseBody['type'], R = Answer<T>>(
    body: RequestBody,
    expect: T,
    options?: CallOptions,
    handling: AnswerHandling<T, R> = answerAsIs as unknown as AnswerHandling<T, R>,
  ): Promise<R> {
    return this.callWith(body, expect, options, handling);
  }

  /**
   * Like {@link call}; `handling.onAnswer` runs synchronously when the answer is read, before
   * any later frame (so a subscription is registered before its first event). One promise per
   * request: no async wrapper, so a pipelined caller pays for no extra promise layers.
   */
  protected callWith<T extends ResponseBody['type'], R>(
    body: RequestBody,
    expect: T,
    options: CallOptions | undefined,
    handling: AnswerHandling<T, R>,
  ): Promise<R> {
    const deadline = now() + (options?.timeoutMs ?? this.options.timeoutMs);
    const signal = options?.signal;
    if (signal?.aborted) {
      return Promise.reject(
        new IpcError(ErrorCode.Aborted, 'aborted before it was sent', { cause: signal.reason }),
      );
    }
    const session = this.usableSession();
    if (session === undefined) {
      return this.waitForSession(deadline).then((ready) =>
        this.dispatch(ready, body, expect, deadline, signal, handling),
      );
    }
    try {
      return this.dispatch(session, body, expect, deadline, signal, handling);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Encodes and sends a request on `session`; throws (sending nothing) when it cannot. */
  private dispatch<T extends ResponseBody['type'], R>(
    session: ClientSession,
    body: RequestBody,
    expect: T,
    deadline: number,
    signal: AbortSignalLike | undefined,
    handling: AnswerHandling<T, R>,
  ): Promise<R> {
    const id = this.nextId++;
    const frame = this.encode(id, body, session);
    const request = new PendingRequest(expect, deadline, handling);
    this.pending.add(id, request);
    if (signal) request.listen(signal, () => this.pending.take(id) !== undefined);
    session.send(frame);
    this.ensurePump(session);
    return request.promise;
  }

  /**
   * The synchronous form of {@link call}: blocks the thread (spinning, then sleeping on the
   * futex) until the answer arrives. Other answers read meanwhile settle their own promises.
   */
  protected callSync<T extends ResponseBody['type']>(
    body: RequestBody,
    expect: T,
    options: CallOptions = {},
  ): Answer<T> {
    if (this.closed) throw new IpcError(ErrorCode.Closed, 'the client is closed');
    const session = this.usableSession();
    if (session === undefined) {
      throw new IpcError(
        ErrorCode.Unavailable,
        'not connected (sync calls do not wait for a reconnect)',
      );
    }
    const started = now();
    const deadline = started + (options.timeoutMs ?? this.options.timeoutMs);
    const id = this.nextId++;
    const frame = this.encode(id, body, session);
    let outcome: { value?: Answer<T>; error?: IpcError } | undefined;
    this.pending.add(id, {
      expect,
      deadline,
      settle: (response, error) => {
        outcome = error
          ? { error }
          : { value: ((response as Response).body as ResponseBody).value as unknown as Answer<T> };
      },
    });
    session.send(frame);
    while (outcome === undefined) {
      this.drain(session);
      if (outcome !== undefined) break;
      if (this.session !== session) throw this.lostError();
      if (now() >= deadline) {
        this.pending.take(id);
        throw new IpcError(ErrorCode.Timeout, `no response within the timeout (request ${id})`);
      }
      if (!this.spin(session, now() + this.spinBudget.windowMs())) {
        const slept = session.sleepSync(Math.min(LIVENESS_CHECK_MS, remaining(deadline) + 1));
        if (slept === 'timed-out') this.timedOutWaits++;
        this.checkSession(session, slept === 'timed-out');
      }
    }
    this.spinBudget.waited(now() - started);
    if (outcome.error) throw outcome.error;
    return outcome.value as unknown as Answer<T>;
  }

  /**
   * The current session if it can still carry a request. Two atomic loads: a server that
   * stopped or ended the session is noticed here, so the request waits for the next session
   * instead of being sent into one that is over.
   */
  private usableSession(): ClientSession | undefined {
    const session = this.session;
    if (session === undefined) return undefined;
    const failure = session.failure(false);
    if (failure === undefined) return session;
    this.lose(session, failure);
    return undefined;
  }

  /** Registers a subscription's sink under the id the server chose. */
  protected addSubscription(id: bigint, sink: SubscriptionSink): void {
    this.subscriptions.set(id, sink);
    if (this.session) this.ensurePump(this.session);
  }

  /** Forgets a subscription locally (events for it are ignored from now on). */
  protected removeSubscription(id: bigint): void {
    this.subscriptions.delete(id);
  }

  /** Encodes a request; refuses (sending nothing) a frame over the session's limit. */
  private encode(id: number, body: RequestBody, session: ClientSession): Uint8Array {
    const frame = this.frames.encodeRequest(id, body);
    const limit = Number(this.sessionTerms?.maxFrameBytes ?? session.header.maxFrameBytes);
    if (frame.length > limit) {
      throw new IpcError(
        ErrorCode.TooLarge,
        `the request is ${frame.length} bytes, over the session's ${limit}-byte frame limit; nothing was sent`,
      );
    }
    return frame;
  }

  /** Reads and dispatches what the server sent, and writes queued output; true on progress. */
  private drain(session: ClientSession): boolean {
    let progressed = session.flush();
    for (let n = 0; n < DRAIN_FRAMES; n++) {
      let bytes: Uint8Array | undefined;
      const before = session.readPosition();
      try {
        bytes = session.read();
      } catch (error) {
        this.lose(session, IpcError.from(error, ErrorCode.Malformed));
        return true;
      }
      if (bytes === undefined) {
        // Fragments of a big frame are progress too: the wait goes on spinning, and the spin
        // budget does not take a 1 MiB answer for a crowded machine (it went to sleep between
        // fragments, a wake-up each).
        if (session.readPosition() !== before) progressed = true;
        break;
      }
      progressed = true;
      let message: ReturnType<typeof decodeFrame>['message'];
      try {
        message = this.frames.decodeAnswer(bytes, this.limits).message;
      } catch (error) {
        this.lose(session, IpcError.from(error, ErrorCode.Malformed));
        return true;
      }
      if (message.type === 'Response') this.pending.answer(message.value);
      else if (message.type === 'Event')
        this.subscriptions.get(message.value.subscriptionId)?.event(message.value);
      if (this.session !== session) return true;
    }
    return progressed;
  }

  /**
   * Busy-waits until `until` (on the {@link now} clock) for data from the server or room for
   * queued output. A deadline rather than a length: the pump has just read the clock.
   */
  private spin(session: ClientSession, until: number): boolean {
    do {
      for (let poll = 0; poll < POLLS_PER_CLOCK_READ; poll++) {
        if (session.hasData() || (session.hasQueuedOutput() && session.flush())) return true;
      }
    } while (now() < until);
    return false;
  }

  /** True while the pump has a reason to run. */
  private busy(session: ClientSession): boolean {
    return this.pending.size > 0 || this.subscriptions.size > 0 || session.hasQueuedOutput();
  }

  private ensurePump(session: ClientSession): void {
    if (this.pumping === undefined) this.pumping = this.pump(session);
  }

  /**
   * Reads answers while anything is in flight: drains, spins in slices between event-loop
   * turns for the spin window (at most `spinMicros`, narrowed by {@link SpinBudget} while
   * answers are slow) after the last progress, then sleeps on the futex (off the main thread)
   * and checks the server's liveness whenever a sleep times out. Ends when nothing is left to
   * wait for.
   */
  private async pump(session: ClientSession): Promise<void> {
    // Start once the code that sent runs to its end: a caller sending several requests in a
    // row sends them all before this loop spins.
    await undefined;
    try {
      let lastProgress = now();
      let waitStart = lastProgress;
      while (this.session === session) {
        const awaitingAnswer = this.pending.size > 0;
        if (this.drain(session)) {
          // Only waits for answers count: events come whenever others write.
          if (awaitingAnswer) this.spinBudget.waited(now() - waitStart);
          // Nothing left to wait for: stop, and the next request starts a new pump. A caller
          // awaiting one request at a time thus sends its next one without an event-loop turn.
          if (!this.busy(session)) return;
          // A macrotask turn, not a microtask: the callers of settled requests resume through
          // several promise hops, and must all have run (and sent their next requests) before
          // this loop spins again.
          await this.platform.yieldToEventLoop();
          lastProgress = waitStart = now();
          continue;
        }
        const t = now();
        if (!awaitingAnswer) waitStart = t;
        const idle = t - lastProgress;
        const windowMs = this.spinBudget.windowMs();
        if (idle < windowMs) {
          if (!this.spin(session, t + Math.min(SPIN_SLICE_MS, windowMs - idle)))
            await this.platform.yieldToEventLoop();
          continue;
        }
        if (!this.busy(session)) return;
        const waiting = this.pending.size > 0;
        const outcome = await session.sleepAsync(LIVENESS_CHECK_MS);
        if (this.session !== session) return;
        if (outcome === 'timed-out' && waiting && this.pending.size > 0) this.timedOutWaits++;
        this.checkSession(session, outcome === 'timed-out');
        lastProgress = now();
      }
    } finally {
      // In here rather than in a `.finally()` on the pump's promise: a sequential caller
      // starts a pump per request, and that was one more promise and a closure each.
      this.pumping = undefined;
      if (this.session === session && this.busy(session)) this.ensurePump(session);
    }
  }

  /** Ends the session if the server ended it, stopped or (when `deep`) died. */
  private checkSession(session: ClientSession, deep: boolean): void {
    const failure = session.failure(deep);
    if (failure) this.lose(session, failure);
  }

  /**
   * The session is over: deliver what the server had sent, then fail what was in flight, end
   * subscriptions, maybe reconnect.
   */
  private lose(session: ClientSession, error: IpcError): void {
    if (this.session !== session) return;
    // Events and answers the server wrote before it ended the session (a subscriber cut with
    // Busy, a server stopping) reach their listeners before the error does
    // (spec/transport.md#the-client-watches-the-server). Not from a broken ring.
    if (error.code !== ErrorCode.Malformed) this.drainRest(session);
    // Reading may have found the ring broken, and lost the session that way already.
    if (this.session !== session) return;
    this.session = undefined;
    this.sessionTerms = undefined;
    const lost =
      error.code === ErrorCode.Malformed
        ? error
        : new IpcError(ErrorCode.Unavailable, `session lost: ${error.rawMessage}`, {
            cause: error,
          });
    this.pending.failAll(lost);
    this.endSubscriptions(lost);
    session.leave();
    const pump = this.pumping;
    if (pump) void pump.then(() => session.unmap());
    else session.unmap();
    if (this.options.reconnect.enabled && !this.closed) this.reconnectInBackground();
  }

  /**
   * Reads everything left in the response ring. Bounded: a ring of N bytes holds at most N/8
   * records, and a session that is over gets nothing new from a correct server.
   */
  private drainRest(session: ClientSession): void {
    const passes = Math.ceil(session.header.ringBytes / 8 / DRAIN_FRAMES) + 1;
    for (let pass = 0; pass < passes && this.session === session && session.hasData(); pass++)
      this.drain(session);
  }

  private lostError(): IpcError {
    return new IpcError(
      this.closed ? ErrorCode.Closed : ErrorCode.Unavailable,
      this.closed ? 'the client was closed' : 'the session was lost',
    );
  }

  private endSubscriptions(error: IpcError): void {
    const sinks = [...this.subscriptions.values()];
    this.subscriptions.clear();
    for (const sink of sinks) sink.end(error);
  }

  /** Waits (bounded by `deadline`) for a session, or fails at once when told to. */
  private waitForSession(deadline: number): Promise<ClientSession> {
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

  private reconnectInBackground(): void {
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

  /** Claims a slot, says Hello and waits for HelloOk (spec/transport.md#connecting). */
  private async establish(): Promise<void> {
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
      const slept = await session.sleepAsync(Math.min(LIVENESS_CHECK_MS, remaining(deadline) + 1));
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
