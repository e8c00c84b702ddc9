// Who owns an open segment, checked on the descriptor itself (spec/transport.md#naming-and-
// permissions). /dev/shm is writable by every user: another user can create a file under this
// user's segment name before the server does, readable and writable by all. A client that
// mapped it would send its requests to that user's process and believe its answers, so a
// segment is used only when this user owns it and nobody else may open it.
import { IpcError } from '../errors.ts';
import { ErrorCode } from '../gen/types.ts';
import { type LibcCalls, STAT_BUFFER_BYTES } from './libc-calls.ts';
import { osError } from './os-error.ts';

/** Where `st_mode` and `st_uid` sit in the kernel's `struct stat`. */
function statOffsets(arch: string): { mode: number; uid: number } {
  // aarch64 uses the generic layout (dev, ino, mode, nlink, uid); x86-64 its own (dev, ino,
  // nlink as 8 bytes, mode, uid).
  return arch === 'arm64' || arch === 'aarch64' ? { mode: 16, uid: 24 } : { mode: 24, uid: 28 };
}

/** The owner's uid and the permission bits of the file open as `fd` (named `name`). */
export function fileOwnerAndMode(
  libc: LibcCalls,
  fd: number,
  name: string,
): { uid: number; mode: number } {
  const buffer = new Uint8Array(STAT_BUFFER_BYTES);
  if (libc.fstat(fd, buffer) !== 0) throw osError('fstat', libc.errno(), name);
  const view = new DataView(buffer.buffer);
  const at = statOffsets(libc.arch);
  return { uid: view.getUint32(at.uid, true), mode: view.getUint32(at.mode, true) & 0o7777 };
}

/**
 * Throws `PermissionDenied` unless the file open as `fd` belongs to this process's effective
 * user and grants nothing to group or others.
 */
export function checkPrivateFile(libc: LibcCalls, fd: number, name: string): void {
  const { uid, mode } = fileOwnerAndMode(libc, fd, name);
  const self = libc.geteuid();
  if (uid === self && (mode & 0o077) === 0) return;
  throw new IpcError(
    ErrorCode.PermissionDenied,
    `segment /dev/shm${name} belongs to uid ${uid} with mode 0${mode.toString(8)}, not to this user (uid ${self}) with mode 0600: refusing to use it (another user may have created it; see docs/operations.md)`,
  );
}
