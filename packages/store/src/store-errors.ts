// Every store failure is an IpcError with a schema ErrorCode (spec/crdt.md#errors); this file
// is the one place that turns OS and LMDB failures into those codes.
import { statfsSync } from 'node:fs';
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';

/** An `InvalidArgument` error: the caller's input is not acceptable. */
export function invalidArgument(message: string, cause?: unknown): IpcError {
  return new IpcError(ErrorCode.InvalidArgument, message, withCause(cause));
}

/** A `TooLarge` error: a key, value or page exceeds a limit. */
export function tooLarge(message: string, cause?: unknown): IpcError {
  return new IpcError(ErrorCode.TooLarge, message, withCause(cause));
}

/** A `Closed` error: the store was closed before or during the call. */
export function closedError(): IpcError {
  return new IpcError(ErrorCode.Closed, 'the store is closed');
}

// LMDB's own return codes (lmdb.h); lmdb-js reports them as a numeric `code` on its errors.
const MDB_VERSION_MISMATCH = -30794;
const MDB_INVALID = -30793;
const MDB_CORRUPTED = -30796;
const MDB_PAGE_NOTFOUND = -30797;
const MDB_PANIC = -30795;
const MDB_MAP_FULL = -30792;

// errno values, numeric as lmdb-js reports them and by name as node:fs reports them.
const readOnlyErrnos = new Set<number | string>([1, 13, 30, 'EPERM', 'EACCES', 'EROFS']);
const lockedErrnos = new Set<number | string>([11, 16, 'EAGAIN', 'EBUSY', 'EWOULDBLOCK']);
const fullErrnos = new Set<number | string>([28, 122, MDB_MAP_FULL, 'ENOSPC', 'EDQUOT']);
const ioErrnos = new Set<number | string>([5, 'EIO']);
/** Free space under which an I/O error while writing is taken for a full disk. */
export const NEARLY_FULL_BYTES = 1024 * 1024;
const corruptCodes = new Set<number>([MDB_INVALID, MDB_CORRUPTED, MDB_PAGE_NOTFOUND, MDB_PANIC]);

/**
 * Translates a failure to open or write the data directory at `path` into a store error code:
 * permissions → StoreReadOnly, LMDB format damage → StoreCorrupt, an LMDB version mismatch →
 * StoreVersion, a busy lock → StoreLocked, anything else → Internal. IpcErrors pass through.
 * `freeBytes` reads the free space of the file system holding `path` (undefined if unknown).
 */
export function storeError(
  error: unknown,
  path: string,
  doing: string,
  freeBytes: (path: string) => number | undefined = freeBytesAt,
): IpcError {
  if (IpcError.is(error)) return error;
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  const say = (what: string) => `${doing} ${path}: ${what} (${detail})`;
  if (code !== undefined && readOnlyErrnos.has(code)) {
    return new IpcError(ErrorCode.StoreReadOnly, say('not writable'), { cause: error });
  }
  if (code !== undefined && lockedErrnos.has(code)) {
    return new IpcError(ErrorCode.StoreLocked, say('locked'), { cause: error });
  }
  if (code === MDB_VERSION_MISMATCH) {
    return new IpcError(ErrorCode.StoreVersion, say('LMDB version mismatch'), { cause: error });
  }
  if (typeof code === 'number' && corruptCodes.has(code)) {
    return new IpcError(ErrorCode.StoreCorrupt, say('damaged'), { cause: error });
  }
  if (code !== undefined && fullErrnos.has(code)) {
    return new IpcError(ErrorCode.Internal, say('disk or quota full'), { cause: error });
  }
  if (code !== undefined && ioErrnos.has(code)) {
    // LMDB reports a commit whose write of several pages came out short as EIO, not ENOSPC
    // (measured: 16 puts committed together on a full 20 MiB tmpfs). The free space tells a
    // full disk from a failing one.
    const free = freeBytes(path);
    if (free !== undefined && free < NEARLY_FULL_BYTES) {
      return new IpcError(ErrorCode.Internal, say(`disk full (${free} bytes free)`), {
        cause: error,
      });
    }
    return new IpcError(ErrorCode.Internal, say('I/O error'), { cause: error });
  }
  return new IpcError(ErrorCode.Internal, say('failed'), { cause: error });
}

// errno values of a path that cannot be a directory at all, whoever asks.
const badPathErrnos = new Set<number | string>([
  'ENOENT',
  'ENOTDIR',
  'EEXIST',
  'ENAMETOOLONG',
  'ELOOP',
  'EINVAL',
]);

/**
 * Translates a failure to look at or create the path `path` of a data directory: a path that
 * cannot exist (`ENOENT` from mkdir in /proc, `ENOTDIR`, `ENAMETOOLONG`, ...) →
 * InvalidArgument; anything else as {@link storeError} (`EROFS`, `EACCES` → StoreReadOnly).
 * The message keeps the OS's own text, which names the errno and the call.
 */
export function pathError(error: unknown, path: string, doing: string): IpcError {
  if (IpcError.is(error)) return error;
  const code = errorCode(error);
  if (code !== undefined && badPathErrnos.has(code)) {
    const detail = error instanceof Error ? error.message : String(error);
    return invalidArgument(`${doing} ${path}: failed (${detail})`, error);
  }
  return storeError(error, path, doing);
}

/** Free bytes for unprivileged writers on the file system holding `path`, if it can tell. */
export function freeBytesAt(path: string): number | undefined {
  try {
    const stats = statfsSync(path);
    return stats.bavail * stats.bsize;
  } catch {
    return undefined;
  }
}

function errorCode(error: unknown): number | string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code: unknown = Reflect.get(error, 'code');
  return typeof code === 'number' || typeof code === 'string' ? code : undefined;
}

function withCause(cause: unknown): { cause?: unknown } {
  return cause === undefined ? {} : { cause };
}
