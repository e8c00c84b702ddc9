// Win32 errors from the shared-memory calls, translated into protocol error codes in one
// place (spec/transport.md#os-failures-and-error-codes), for every Windows runtime binding: the
// Windows counterpart of posix/os-error.ts.
import { IpcError } from '../errors.ts';
import { ErrorCode } from '../gen/types.ts';

const names: Record<number, string> = {
  2: 'ERROR_FILE_NOT_FOUND',
  5: 'ERROR_ACCESS_DENIED',
  6: 'ERROR_INVALID_HANDLE',
  8: 'ERROR_NOT_ENOUGH_MEMORY',
  14: 'ERROR_OUTOFMEMORY',
  87: 'ERROR_INVALID_PARAMETER',
  112: 'ERROR_DISK_FULL',
  183: 'ERROR_ALREADY_EXISTS',
  1450: 'ERROR_NO_SYSTEM_RESOURCES',
  1455: 'ERROR_COMMITMENT_LIMIT',
};

/** The protocol code for a GetLastError value from a mapping, event or process call. */
export function windowsErrorCode(error: number): ErrorCode {
  switch (error) {
    case 5: // ERROR_ACCESS_DENIED: another user's object, or its DACL forbids us
      return ErrorCode.PermissionDenied;
    case 2: // ERROR_FILE_NOT_FOUND: no server has created this channel's mapping
      return ErrorCode.Unavailable;
    case 8: // ERROR_NOT_ENOUGH_MEMORY
    case 14: // ERROR_OUTOFMEMORY
    case 112: // ERROR_DISK_FULL
    case 1450: // ERROR_NO_SYSTEM_RESOURCES
    case 1455: // ERROR_COMMITMENT_LIMIT: the pagefile cannot back the section
      return ErrorCode.TooLarge;
    default:
      return ErrorCode.Internal;
  }
}

/** The name of a Win32 error code (`ERROR_…`), or `error N`. */
export function windowsErrorName(error: number): string {
  return names[error] ?? `error ${error}`;
}

/**
 * An IpcError for a failed Win32 call, naming the call, the error and what it was applied to.
 * ERROR_ALREADY_EXISTS also says EEXIST, the name the server's takeover logic looks for on
 * every OS.
 */
export function windowsError(call: string, error: number, subject: string): IpcError {
  const name = windowsErrorName(error);
  const alias = error === 183 ? ' (EEXIST)' : '';
  return new IpcError(windowsErrorCode(error), `${call}(${subject}) failed: ${name}${alias}`, {
    cause: Object.assign(new Error(name), { errno: error, syscall: call }),
  });
}
