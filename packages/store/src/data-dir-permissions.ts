// Who may read the store (spec/crdt.md#permissions): the data directory is 0700 and its
// LMDB files 0600, like the channel's segment. A directory or file there that other users can
// read or write, or that belongs to another user, is refused when the store opens; with
// `fixPermissions` the user's own are tightened instead. Another user's are never used nor
// changed: that user could read or replace them whatever their mode.
import { chmodSync, statSync } from 'node:fs';
import process from 'node:process';
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import { PRIVATE_DIR_MODE } from './make-directories.ts';
import { pathError } from './store-errors.ts';

/** Mode of the store's files, whatever the process umask. */
export const PRIVATE_FILE_MODE = 0o600;

/** Mode bits that let the group or other users read or write. */
const SHARED_BITS = 0o066;

/** What a checked path is, for messages and for the mode it must have. */
export type PrivateKind = 'data directory' | 'store file';

/**
 * Checks that `path` belongs to this user and that no other user can read or write it.
 * Returns a line saying what it tightened (only with `fix`), or undefined. A missing store
 * file is fine (LMDB creates it, 0600). Throws `PermissionDenied` naming the path, its owner
 * or mode, and the fix.
 */
export function checkPrivate(path: string, kind: PrivateKind, fix: boolean): string | undefined {
  const uid = process.geteuid?.();
  if (uid === undefined) return undefined; // no POSIX owners (the store needs POSIX anyway)
  let owner: number;
  let mode: number;
  try {
    const stats = statSync(path);
    owner = stats.uid;
    mode = stats.mode & 0o7777;
  } catch (error) {
    if (kind === 'store file' && Reflect.get(error as object, 'code') === 'ENOENT')
      return undefined;
    throw pathError(error, path, 'looking at');
  }
  if (owner !== uid) {
    throw new IpcError(
      ErrorCode.PermissionDenied,
      `${kind} ${path} belongs to uid ${owner}, not to this user (uid ${uid}): ` +
        "the store never uses another user's files, nor changes them",
    );
  }
  if ((mode & SHARED_BITS) === 0) return undefined;
  const wanted = kind === 'data directory' ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE;
  if (!fix) {
    throw new IpcError(
      ErrorCode.PermissionDenied,
      `${kind} ${path} has mode ${octal(mode)}, so other users can ${access(mode)} it; ` +
        `run "chmod ${octal(wanted).slice(1)} ${shellWord(path)}", or start the server with ` +
        '--fix-permissions (openStore: fixPermissions) to tighten it',
    );
  }
  try {
    chmodSync(path, wanted);
  } catch (error) {
    throw pathError(error, path, 'tightening the mode of');
  }
  return `${kind} ${path}: mode ${octal(mode)} tightened to ${octal(wanted)}`;
}

function access(mode: number): string {
  const read = (mode & 0o044) !== 0;
  const write = (mode & 0o022) !== 0;
  return read && write ? 'read and write' : read ? 'read' : 'write';
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}

/** `path` as one shell word, for a command the operator can paste. */
function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}
