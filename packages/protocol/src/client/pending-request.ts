// One asynchronous request in flight, as an object rather than a set of closures: a pipelined
// client keeps hundreds of these alive, and each closure and extra promise layer was garbage
// for every request (measured: ~1 KB a request from the call path alone, and a quarter of the
// pipelined client's time in the garbage collector).
import { IpcError } from '../errors.ts';
import { ErrorCode, type Response, type ResponseBody } from '../gen/types.ts';
import type { AbortSignalLike } from '../transport/platform.ts';
import type { PendingCall } from './pending-calls.ts';

/** The body type answering each request on `Ok` (spec/messages.md#responses). */
export type AnswerMap = { [B in ResponseBody as B['type']]: B['value'] };
/** The value of the body of type `T`. */
export type Answer<T extends ResponseBody['type']> = AnswerMap[T];

/** The answer as it is: what most requests resolve with. */
export const answerAsIs: AnswerHandling<never, never> = {
  onAnswer: undefined,
  map: (value) => value,
};

/** What a settled request does with its answer before its promise resolves. */
export interface AnswerHandling<T extends ResponseBody['type'], R> {
  /** Runs synchronously when the answer is read, before any later frame is handled. */
  readonly onAnswer: ((value: Answer<T>) => void) | undefined;
  /** Turns the answer into what the caller's promise resolves with. */
  readonly map: (value: Answer<T>) => R;
}

/**
 * Where {@link captureSettlers} leaves the settling functions of the promise it just ran for:
 * one shared executor instead of a closure (and its context) per request.
 */
const settlers = {
  resolve: undefined as unknown as (value: never) => void,
  reject: undefined as unknown as (error: IpcError) => void,
};

function captureSettlers(resolve: (value: never) => void, reject: (error: IpcError) => void) {
  settlers.resolve = resolve;
  settlers.reject = reject;
}

/** A request's pending state and its caller's promise, which settling settles exactly once. */
export class PendingRequest<T extends ResponseBody['type'], R> implements PendingCall {
  readonly expect: T;
  readonly deadline: number;
  /** What the caller awaits. */
  readonly promise: Promise<R>;
  private readonly handling: AnswerHandling<T, R>;
  private readonly resolve: (value: R) => void;
  private readonly reject: (error: IpcError) => void;
  private signal: AbortSignalLike | undefined;
  private onAbort: (() => void) | undefined;

  constructor(expect: T, deadline: number, handling: AnswerHandling<T, R>) {
    this.expect = expect;
    this.deadline = deadline;
    this.handling = handling;
    this.promise = new Promise<R>(captureSettlers);
    this.resolve = settlers.resolve as (value: R) => void;
    this.reject = settlers.reject;
  }
  /** Fails the request with `Aborted` when `signal` aborts, if `cancel()` still finds it. */
  listen(signal: AbortSignalLike, cancel: () => boolean): void {
    this.signal = signal;
    this.onAbort = () => {
      if (cancel())
        this.reject(new IpcError(ErrorCode.Aborted, 'aborted', { cause: signal.reason }));
    };
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  settle(response: Response | undefined, error: IpcError | undefined): void {
    if (this.onAbort) this.signal?.removeEventListener('abort', this.onAbort);
    if (error) {
      this.reject(error);
      return;
    }
    const value = (response as Response).body?.value as Answer<T>;
    let result: R;
    try {
      this.handling.onAnswer?.(value);
      result = this.handling.map(value);
    } catch (cause) {
      this.reject(IpcError.from(cause, ErrorCode.Internal));
      return;
    }
    this.resolve(result);
  }
}
