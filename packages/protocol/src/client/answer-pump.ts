// The client's answer pump: reads what the server sent and hands each answer to the request
// waiting for it (and each event to its subscription) without blocking the event loop for
// longer than one spin slice; spins, then sleeps on the futex, while anything is in flight, and
// ends the session when the server ended it, stopped or died
// (spec/transport.md#spin-window-and-timeouts). The request bookkeeping (client-core.ts)
// builds on it.
import { FrameCodec } from '../codec/frame-codec.ts';
import { IpcError } from '../errors.ts';
import { ErrorCode, type Event, type Frame } from '../gen/types.ts';
import type { Platform } from '../transport/platform.ts';
import { MAX_SLEEP_MS, SPIN_SLICE_MS } from '../transport/wait-timing.ts';
import { now, POLLS_PER_CLOCK_READ } from '../wire/clock.ts';
import { FrameBuilder } from '../wire/frame-builder.ts';
import { ClientConnection } from './client-connection.ts';
import type { ConnectOptions } from './client-options.ts';
import type { ClientSession } from './client-session.ts';
import { PendingCalls } from './pending-calls.ts';
import { SpinBudget } from './spin-budget.ts';

/** Most frames one {@link AnswerPump.drain} reads before the pump lets others run. */
const DRAIN_FRAMES = 1024;

/** Receives a subscription's events, and its end when the session is lost. */
export interface SubscriptionSink {
  event(event: Event): void;
  end(error: IpcError): void;
}

/** Reads answers and events for what is in flight: the middle layer of `ClientCore`. */
export abstract class AnswerPump extends ClientConnection {
  protected readonly pending: PendingCalls;
  protected readonly spinBudget: SpinBudget;
  protected readonly subscriptions = new Map<bigint, SubscriptionSink>();
  /** Decodes answers here and encodes requests (client-core.ts), the hottest through templates. */
  protected readonly frames = new FrameCodec(new FrameBuilder(1024));
  protected pumping: Promise<void> | undefined;
  protected timedOutWaits = 0;

  protected constructor(platform: Platform, channel: string, options: ConnectOptions) {
    super(platform, channel, options);
    this.pending = new PendingCalls(platform);
    this.spinBudget = new SpinBudget(this.options.spinMicros);
  }

  /**
   * Futex sleeps that ran their whole timeout while a request was in flight. The server answers
   * in microseconds, so on a live server each one is a lost wake-up; tests assert zero.
   */
  get transportTimeouts(): number {
    return this.timedOutWaits;
  }

  /** Reads and dispatches what the server sent, and writes queued output; true on progress. */
  protected drain(session: ClientSession): boolean {
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
      let message: Frame['message'];
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
  protected spin(session: ClientSession, until: number): boolean {
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

  protected ensurePump(session: ClientSession): void {
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
        const outcome = await session.sleepAsync(MAX_SLEEP_MS);
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
  protected checkSession(session: ClientSession, deep: boolean): void {
    const failure = session.failure(deep);
    if (failure) this.lose(session, failure);
  }

  /**
   * The session is over: deliver what the server had sent, then fail what was in flight, end
   * subscriptions, maybe reconnect.
   */
  protected lose(session: ClientSession, error: IpcError): void {
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

  protected endSubscriptions(error: IpcError): void {
    const sinks = [...this.subscriptions.values()];
    this.subscriptions.clear();
    for (const sink of sinks) sink.end(error);
  }
}
