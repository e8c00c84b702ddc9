// OS errors from the shared-memory calls, translated into protocol error codes in one place
// (spec/errors.md), for every runtime binding.
import { IpcError } from '../errors.ts';
import { ErrorCode } from '../gen/types.ts';

const names: Record<number, string> = {
  1: 'EPERM',
  2: 'ENOENT',
  12: 'ENOMEM',
  13: 'EACCES',
  17: 'EEXIST',
  22: 'EINVAL',
  24: 'EMFILE',
  27: 'EFBIG',
  28: 'ENOSPC',
};

/** The protocol code for an errno from shm_open, ftruncate, mmap or futex. */
function codeFor(errno: number): ErrorCode {
  switch (errno) {
    case 1: // EPERM
    case 13: // EACCES: the segment belongs to another user, or its mode forbids us
      return ErrorCode.PermissionDenied;
    case 2: // ENOENT: no server has created this channel's segment
      return ErrorCode.Unavailable;
    case 12: // ENOMEM
    case 27: // EFBIG
    case 28: // ENOSPC: /dev/shm is full (Docker's default is 64 MB)
      return ErrorCode.TooLarge;
    default:
      return ErrorCode.Internal;
  }
}

/** An IpcError for a failed OS call, naming the call, the errno and what it was applied to. */
export function osError(call: string, errno: number, subject: string): IpcError {
  const name = names[errno] ?? `errno ${errno}`;
  return new IpcError(codeFor(errno), `${call}(${subject}) failed: ${name}`, {
    cause: Object.assign(new Error(name), { errno, syscall: call }),
  });
}
