// A consistent, compacted copy of a running store (spec/crdt.md#backup). LMDB copies the
// environment from one read transaction on a thread of its own (mdb_env_copy2 with
// MDB_CP_COMPACT: free pages are left out and the B-trees rewritten densely), so writers go
// on meanwhile and the copy holds exactly the commits before it started.
import { chmodSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { open } from 'lmdb';
import { DATA_FILE, type DataDir, MAX_DBS, META_DB } from './data-dir.ts';
import { PRIVATE_FILE_MODE } from './data-dir-permissions.ts';
import { makeDirectories, PRIVATE_DIR_MODE } from './make-directories.ts';
import type { PathPrivacy } from './path-privacy.ts';
import { invalidArgument, pathError, storeError } from './store-errors.ts';

/** What {@link Store.backup} wrote. */
export interface BackupInfo {
  /** The data file written: `<dir>/data.mdb`. */
  readonly path: string;
  /** Its size in bytes. */
  readonly bytes: number;
}

// The copy is written under this name and renamed when complete, so a directory holding a
// `data.mdb` always holds a whole one (an interrupted backup leaves only the partial name).
const PARTIAL_FILE = `${DATA_FILE}.partial`;

/**
 * Copies the store of `data` into directory `dir` (created 0700 when missing; an existing one
 * must be empty), as `data.mdb` with mode 0600, compacted. Throws `InvalidArgument` for a path
 * that cannot be used (not a directory, not empty, the store's own directory), `StoreReadOnly`
 * when it cannot be written, `StoreFull` when the disk fills.
 */
export async function backupDataDir(data: DataDir, dir: string): Promise<BackupInfo> {
  if (typeof dir !== 'string' || dir === '') {
    throw invalidArgument('backup path must be a non-empty string');
  }
  const target = resolve(dir);
  if (target === data.path) throw invalidArgument(`${target} is the store's own directory`);
  prepareTarget(target, data.privacy);
  const partial = join(target, PARTIAL_FILE);
  const file = join(target, DATA_FILE);
  try {
    await data.env.backup(partial, true);
    // LMDB creates the copy 0666 less the umask; the directory (0700) kept others out meanwhile.
    if (process.platform !== 'win32') chmodSync(partial, PRIVATE_FILE_MODE);
    await releaseClaim(partial);
    renameSync(partial, file);
    // Windows: the copy gets the store's private ACL, as its own files do.
    data.privacy?.make(file, 'store file');
  } catch (error) {
    rmSync(partial, { force: true });
    rmSync(`${partial}-lock`, { force: true });
    throw storeError(error, target, 'backing up into');
  }
  return { path: file, bytes: statSync(file).size };
}

// A missing directory is created (with its parents) owner-only; an existing one must be an
// empty directory, and is made owner-only as a created one would be.
function prepareTarget(target: string, privacy: PathPrivacy | undefined): void {
  const created = makeDirectories(target);
  if (created.length > 0) {
    // Another system's form of 0700 (Windows ACLs) for every directory made.
    for (const path of created) privacy?.make(path, 'data directory');
    return;
  }
  let entries: string[];
  try {
    entries = readdirSync(target);
  } catch (error) {
    throw pathError(error, target, 'reading directory');
  }
  if (entries.length > 0) {
    throw invalidArgument(
      `${target} is not empty (${entries.length} entries): back up into a new or empty directory`,
    );
  }
  if (privacy !== undefined) {
    privacy.make(target, 'data directory');
    return;
  }
  if (process.platform === 'win32') return;
  try {
    chmodSync(target, PRIVATE_DIR_MODE);
  } catch (error) {
    throw pathError(error, target, 'setting the mode of');
  }
}

const fileMode = { permissionsMode: PRIVATE_FILE_MODE };

// The copy carries the running server's owner claim, whose process is alive: a server opening
// the backup (a restore while the original still runs) would take it for a live holder and
// refuse with StoreLocked. The claim is dropped from the copy; nothing else in it changes.
async function releaseClaim(file: string): Promise<void> {
  // permissionsMode: see data-dir.ts (lmdbFileMode); it applies to the lock file made here.
  const env = open({ ...fileMode, path: file, maxDbs: MAX_DBS });
  try {
    const meta = env.openDB<string, string>({ name: META_DB, encoding: 'string' });
    if (meta.get('owner') !== undefined) await meta.remove('owner');
  } finally {
    await env.close();
    rmSync(`${file}-lock`, { force: true });
  }
}
