// How the CLI prints: JSON on stdout (bigints as decimal strings, so nothing loses precision),
// errors on stderr with a non-zero exit code.
import { IpcError } from '@pluresdb-ipc/protocol';
import { errorCodeName } from '@pluresdb-ipc/protocol/messages';
import { writeErr, writeOut } from './closed-output.ts';

/** Exit codes of the CLI. */
export const ExitCode = {
  Ok: 0,
  /** The operation failed (the message names the error code). */
  Failed: 1,
  /** The command line was wrong. */
  Usage: 2,
  /** `get` of a key that has no live record. */
  NotFound: 3,
} as const;

/** JSON text of `value`, with bigints as strings and byte arrays as their UTF-8 text. */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
      return v;
    },
    indent,
  );
}

/** Prints one JSON value on stdout. */
export function printJson(value: unknown): void {
  writeOut(`${toJson(value, process.stdout.isTTY ? 2 : undefined)}\n`);
}

/** A usage error: the command line is wrong. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Prints an error and returns the exit code for it. */
export function reportError(error: unknown): number {
  if (error instanceof UsageError) {
    writeErr(`pluresdb-ipc: ${error.message}\nRun "pluresdb-ipc help" for usage.\n`);
    return ExitCode.Usage;
  }
  if (IpcError.is(error)) {
    writeErr(`pluresdb-ipc: ${errorCodeName(error.code)}: ${error.rawMessage}\n`);
    return ExitCode.Failed;
  }
  // An OS error (it names its errno and call) is not a bug: its message, without a stack.
  const osError = error instanceof Error && typeof Reflect.get(error, 'syscall') === 'string';
  const text =
    error instanceof Error
      ? osError
        ? error.message
        : (error.stack ?? error.message)
      : String(error);
  writeErr(`pluresdb-ipc: ${text}\n`);
  return ExitCode.Failed;
}
