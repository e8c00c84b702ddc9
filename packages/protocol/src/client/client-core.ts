// The runtime-agnostic client core: request ids and matching, pipelining, timeouts, aborts, and
// the synchronous calls. It builds on the answer pump (answer-pump.ts), which reads the answers,
// and the connection (client-connection.ts), which keeps a session up.
import { IpcError } from '../errors.ts';
import { ErrorCode, type RequestBody, type Response, type ResponseBody } from '../gen/types.ts';
import type { AbortSignalLike } from '../transport/platform.ts';
import { MAX_SLEEP_MS } from '../transport/wait-timing.ts';
import { now } from '../wire/clock.ts';
import { AnswerPump, type SubscriptionSink } from './answer-pump.ts';
import type { CallOptions } from './client-options.ts';
import { type ClientSession, remaining } from './client-session.ts';
import { type Answer, type AnswerHandling, answerAsIs, PendingRequest } from './pending-request.ts';
import { requestRefusal } from './request-needs.ts';

/** The client core; `IpcClient` adds the typed operations on top. */
export class ClientCore extends AnswerPump {
  /**
   * Establishes the first session; throws `Unavailable` when no server runs (after waiting
   * `waitForServer` ms for one).
   */
  protected async start(): Promise<void> {
    await this.establishFirst();
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
        const slept = session.sleepSync(Math.min(MAX_SLEEP_MS, remaining(deadline) + 1));
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
  protected encode(id: number, body: RequestBody, session: ClientSession): Uint8Array {
    // A v2 request (or v2 fields) in a v1 session: refused here, with nothing sent.
    const version = this.sessionTerms?.protocolVersion;
    const refusal = version === undefined ? undefined : requestRefusal(body, version);
    if (refusal !== undefined) throw refusal;
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

  private lostError(): IpcError {
    return new IpcError(
      this.closed ? ErrorCode.Closed : ErrorCode.Unavailable,
      this.closed ? 'the client was closed' : 'the session was lost',
    );
  }
}
