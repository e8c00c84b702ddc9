import { ErrorCode, errorCodeName } from './gen/types.ts';

// Re-exported so that wire/, which gen/ is built on, names the codes without importing gen/
// (the layers: wire/ < gen/ < codec/, see codec/frame-codec.ts).
export { ErrorCode };

/** Options accepted by {@link IpcError}'s constructor. */
export interface IpcErrorOptions {
  /** The underlying error (OS error, store error, verifier failure...). */
  readonly cause?: unknown;
}

/**
 * The one error class of PluresDB IPC. Every failure carries a `code` from the schema's
 * {@link ErrorCode} enum, so callers branch on codes rather than on classes or messages.
 * Checks go through {@link IpcError.is} (by `name`), so two copies of this package agree.
 */
export class IpcError extends Error {
  override readonly name = 'IpcError';
  /** Why the operation failed; never `ErrorCode.Ok`. */
  readonly code: ErrorCode;
  /** The message without the `[Code]` prefix. */
  readonly rawMessage: string;

  constructor(code: ErrorCode, message: string, options: IpcErrorOptions = {}) {
    super(
      `[${errorCodeName(code)}] ${message}`,
      'cause' in options ? { cause: options.cause } : {},
    );
    this.code = code;
    this.rawMessage = message;
  }

  /** True when `value` is an IpcError, from this copy of the package or another. */
  static is(value: unknown): value is IpcError {
    return (
      value instanceof Error &&
      value.name === 'IpcError' &&
      typeof Reflect.get(value, 'code') === 'number'
    );
  }

  /**
   * Turns anything thrown into an IpcError: IpcErrors pass through unchanged, anything else
   * becomes one with `fallback` as its code and the original attached as `cause`.
   */
  static from(reason: unknown, fallback: ErrorCode = ErrorCode.Unknown): IpcError {
    if (IpcError.is(reason)) return reason;
    const message = reason instanceof Error ? reason.message : String(reason);
    return new IpcError(fallback, message, { cause: reason });
  }
}
