// The error of a subscription that asks to resume after a seq the change log no longer holds
// (spec/crdt.md#subscriptions): it carries the oldest seq still held, which the wire's
// `Response.oldest_seq` carries between server and client (spec/errors.md#resumetooold).
import { ErrorCode, IpcError, type IpcErrorOptions } from './errors.ts';
import type { Response } from './gen/types.ts';

/** `ResumeTooOld`, with the oldest seq the change log still holds (0 when it holds none). */
export class ResumeTooOldError extends IpcError {
  /** The oldest seq the change log still holds; 0 when it is empty. */
  readonly oldestSeq: bigint;

  constructor(message: string, oldestSeq: bigint, options: IpcErrorOptions = {}) {
    super(ErrorCode.ResumeTooOld, message, options);
    this.oldestSeq = oldestSeq;
  }
}

/** The `oldestSeq` an error carries: set on a {@link ResumeTooOldError}, else undefined. */
export function oldestSeqOf(error: unknown): bigint | undefined {
  if (!IpcError.is(error) || error.code !== ErrorCode.ResumeTooOld) return undefined;
  const value = Reflect.get(error, 'oldestSeq');
  return typeof value === 'bigint' ? value : undefined;
}

/** The error a failed response reports: a {@link ResumeTooOldError} carries its `oldestSeq`. */
export function responseError(response: Response): IpcError {
  const message = response.message ?? 'the server gave no reason';
  if (response.code === ErrorCode.ResumeTooOld)
    return new ResumeTooOldError(message, response.oldestSeq ?? 0n);
  return new IpcError(response.code, message);
}
