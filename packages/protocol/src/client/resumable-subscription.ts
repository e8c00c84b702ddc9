// A subscription that outlives its session (spec/crdt.md#subscriptions): after a reconnect it
// subscribes again with `since` = the last seq it delivered (or the one its subscription
// started at), so the server replays what it missed from its change log, and the listener
// sees every change once, in order. It ends, as a subscription without resuming does, when
// resuming is impossible: turned off, a server that speaks protocol version 1, a log that no
// longer holds the changes (`ResumeTooOld`, with the oldest seq held), a client that does not
// reconnect, or one that was closed.
import { IpcError } from '../errors.ts';
import { ErrorCode, type Event, type SubscribeResult } from '../gen/types.ts';
import type { SubscriptionSink } from './answer-pump.ts';
import type { Subscription } from './client-api.ts';
import type { CallOptions } from './client-options.ts';

/** Options of `subscribe`. */
export interface SubscribeOptions extends CallOptions {
  /** Hears why the subscription ended, when it ends on its own. */
  readonly onEnd?: (error: IpcError) => void;
  /**
   * Start after this seq: first every change the server's change log holds after it, then
   * live ones (protocol version 2). `0n` starts from the oldest change the log holds. Fails
   * with `ResumeTooOld` (`oldestSeqOf(error)` tells the oldest seq held) when the log no
   * longer holds every change after it: list again, then subscribe from the answer's seq.
   */
  readonly since?: bigint;
  /**
   * After a reconnect, resume from the last seq delivered instead of ending with
   * `Unavailable`; default true. Needs a server speaking protocol version 2.
   */
  readonly resume?: boolean;
}

/** What a resumable subscription needs from its client. */
export interface SubscriptionHost {
  /**
   * Sends Subscribe (resuming after `since` when given; VersionMismatch, sending nothing,
   * from a version 1 session); registers `sink` under the new id as the answer is read.
   */
  open(
    prefix: string,
    since: bigint | undefined,
    sink: SubscriptionSink,
    options: CallOptions | undefined,
  ): Promise<SubscribeResult & { protocolVersion: number }>;
  /** Forgets `id` locally and, when connected, tells the server. */
  close(id: bigint, options: CallOptions | undefined): Promise<void>;
  /** True while the client reconnects on its own and waits for a session. */
  reconnects(): boolean;
  /** Resolves after `ms` (a timer that does not keep the process alive). */
  pause(ms: number): Promise<void>;
}

/** Pause between two attempts to resume (a session that fails at once is not hammered). */
const RETRY_PAUSE_MS = 50;

/** A client subscription that resumes after a reconnect; see the file comment. */
export class ResumableSubscription<E extends { readonly seq: bigint }> implements Subscription {
  #id = 0n;
  // The last seq delivered (or the one the subscription started after); undefined when the
  // server cannot resume (protocol version 1).
  #lastSeq: bigint | undefined;
  #stopped = false;
  readonly #host: SubscriptionHost;
  readonly #prefix: string;
  readonly #listener: (event: E) => void;
  readonly #convert: (event: Event) => E;
  readonly #onEnd: ((error: IpcError) => void) | undefined;
  readonly #resume: boolean;
  readonly #sink: SubscriptionSink = {
    event: (event) => this.#deliver(event),
    end: (error) => this.#lost(error),
  };

  constructor(
    host: SubscriptionHost,
    prefix: string,
    listener: (event: E) => void,
    convert: (event: Event) => E,
    options: SubscribeOptions,
  ) {
    this.#host = host;
    this.#prefix = prefix;
    this.#listener = listener;
    this.#convert = convert;
    this.#onEnd = options.onEnd;
    this.#resume = options.resume ?? true;
  }

  /** The id of the subscription on the current session (a resumed one gets a new id). */
  get id(): bigint {
    return this.#id;
  }

  /** The last seq delivered, or the one the subscription started after. */
  get lastSeq(): bigint | undefined {
    return this.#lastSeq;
  }

  /** Subscribes; rejects as `subscribe` does. */
  async start(since: bigint | undefined, options: CallOptions | undefined): Promise<this> {
    if (since !== undefined && (typeof since !== 'bigint' || since < 0n))
      throw new IpcError(ErrorCode.InvalidArgument, 'since must be a non-negative bigint seq');
    const answer = await this.#host.open(this.#prefix, since, this.#sink, options);
    this.#id = answer.subscriptionId;
    if (answer.protocolVersion >= 2) {
      // Events read with the answer may have moved it on already.
      const start = since ?? answer.seq ?? 0n;
      if (this.#lastSeq === undefined || this.#lastSeq < start) this.#lastSeq = start;
    }
    return this;
  }

  async unsubscribe(options?: CallOptions): Promise<void> {
    this.#stopped = true;
    await this.#host.close(this.#id, options);
  }

  #deliver(event: Event): void {
    if (this.#stopped) return;
    // At a resumption's seam a change is never sent twice; this guards the listener anyway.
    if (this.#lastSeq !== undefined && event.seq <= this.#lastSeq && event.seq !== 0n) return;
    if (event.seq !== 0n) this.#lastSeq = event.seq;
    this.#listener(this.#convert(event));
  }

  #lost(error: IpcError): void {
    if (this.#stopped) return;
    if (
      !this.#resume ||
      this.#lastSeq === undefined ||
      error.code !== ErrorCode.Unavailable ||
      !this.#host.reconnects()
    ) {
      this.#end(error);
      return;
    }
    void this.#resumeAfter(error);
  }

  async #resumeAfter(lost: IpcError): Promise<void> {
    for (;;) {
      if (this.#stopped) return;
      try {
        const answer = await this.#host.open(this.#prefix, this.#lastSeq, this.#sink, undefined);
        if (this.#stopped) {
          await this.#host.close(answer.subscriptionId, undefined).catch(() => undefined);
          return;
        }
        this.#id = answer.subscriptionId;
        return;
      } catch (caught) {
        const error = IpcError.from(caught);
        if (this.#stopped) return;
        // The session went again (or none came in time): try on the next one.
        const again =
          (error.code === ErrorCode.Unavailable || error.code === ErrorCode.Timeout) &&
          this.#host.reconnects();
        if (again) {
          await this.#host.pause(RETRY_PAUSE_MS);
          continue;
        }
        // A server speaking version 1 cannot resume: end as without resuming.
        this.#end(error.code === ErrorCode.VersionMismatch ? lost : error);
        return;
      }
    }
  }

  #end(error: IpcError): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#onEnd?.(error);
  }
}
