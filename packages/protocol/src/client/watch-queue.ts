// `client.watch()`: a subscription as an async iterator, with a bounded buffer so a consumer
// that stops reading cannot make the client grow memory without bound.
import { IpcError } from '../errors.ts';
import { ErrorCode } from '../gen/types.ts';
import type { AbortSignalLike } from '../transport/platform.ts';
import type { JsonObject } from './json-values.ts';

/** A committed change, as a subscriber sees it. */
export interface ChangeEvent {
  readonly subscriptionId: bigint;
  /** The store's commit sequence number (strictly increasing per subscription). */
  readonly seq: bigint;
  readonly kind: 'upsert' | 'delete';
  readonly key: string;
  /** The record's data after the change; undefined for a delete. */
  readonly value: JsonObject | undefined;
  readonly hlc: bigint;
  readonly actor: string | undefined;
}

/** Options of `watch`. */
export interface WatchOptions {
  /** Ends the iteration (without an error) when aborted. */
  readonly signal?: AbortSignalLike;
  /** Most changes buffered unread before the watch fails with `Busy`; default 10,000. */
  readonly maxBuffered?: number;
  /** Start after this seq (see `SubscribeOptions.since`); protocol version 2. */
  readonly since?: bigint;
  /** Resume after a reconnect from the last seq delivered; default true. */
  readonly resume?: boolean;
}

type Subscribe = (
  listener: (event: ChangeEvent) => void,
  onEnd: (error: IpcError) => void,
) => Promise<{ unsubscribe(): Promise<void> }>;

/** The iterator behind `watch`. */
export class WatchQueue implements AsyncIterableIterator<ChangeEvent> {
  private readonly buffer: ChangeEvent[] = [];
  private readonly maxBuffered: number;
  private waiting:
    | { resolve(result: IteratorResult<ChangeEvent>): void; reject(error: unknown): void }
    | undefined;
  private failure: IpcError | undefined;
  private done = false;
  private readonly subscription: Promise<{ unsubscribe(): Promise<void> }>;
  private readonly signal: AbortSignalLike | undefined;
  private readonly onAbort = (): void => void this.return();

  constructor(subscribe: Subscribe, options: WatchOptions) {
    this.maxBuffered = options.maxBuffered ?? 10_000;
    this.signal = options.signal;
    this.subscription = subscribe(
      (event) => this.push(event),
      (error) => this.fail(error),
    );
    // A failed subscribe surfaces from next(); keep it from being reported as unhandled.
    this.subscription.catch((error: unknown) => this.fail(IpcError.from(error)));
    this.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (this.signal?.aborted) void this.return();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ChangeEvent> {
    return this;
  }

  async next(): Promise<IteratorResult<ChangeEvent>> {
    await this.subscription.catch(() => undefined);
    const event = this.buffer.shift();
    if (event !== undefined) return { value: event, done: false };
    if (this.failure) throw this.failure;
    if (this.done) return { value: undefined, done: true };
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  async return(): Promise<IteratorResult<ChangeEvent>> {
    if (!this.done) {
      this.done = true;
      this.signal?.removeEventListener('abort', this.onAbort);
      this.settleWaiting();
      const subscription = await this.subscription.catch(() => undefined);
      await subscription?.unsubscribe().catch(() => undefined);
    }
    return { value: undefined, done: true };
  }

  private push(event: ChangeEvent): void {
    if (this.done) return;
    if (this.waiting) {
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting.resolve({ value: event, done: false });
      return;
    }
    if (this.buffer.length >= this.maxBuffered) {
      this.fail(
        new IpcError(ErrorCode.Busy, `watch fell behind: ${this.maxBuffered} changes unread`),
      );
      void this.subscription.then((s) => s.unsubscribe()).catch(() => undefined);
      return;
    }
    this.buffer.push(event);
  }

  private fail(error: IpcError): void {
    if (this.done || this.failure) return;
    this.failure = error;
    this.done = true;
    this.settleWaiting();
  }

  private settleWaiting(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (!waiting) return;
    if (this.failure) waiting.reject(this.failure);
    else waiting.resolve({ value: undefined, done: true });
  }
}
