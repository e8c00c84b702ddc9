// Opening a data directory (spec/crdt.md#persistence): pre-flight checks, the LMDB
// environment, the format version, the owner claim. Nothing here ever deletes or rewrites
// user data: a directory that fails a check is left exactly as it was found.

import type { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import { type Database, open, type RootDatabase } from 'lmdb';
import { checkPrivate, PRIVATE_FILE_MODE } from './data-dir-permissions.ts';
import { utf8KeyEncoder } from './keys.ts';
import { FORMAT_VERSION } from './limits.ts';
import { checkLmdbFile } from './lmdb-file-check.ts';
import { makeDirectories } from './make-directories.ts';
import { newOwner, type Owner, openDirectories, ownerAlive, parseOwner } from './owner-lock.ts';
import type { PathPrivacy } from './path-privacy.ts';
import { invalidArgument, storeError } from './store-errors.ts';
import type { Durability } from './types.ts';

/** Name of the LMDB data file inside the directory. */
export const DATA_FILE = 'data.mdb';
/** Name of LMDB's lock file (the reader table) inside the directory. */
export const LOCK_FILE = 'data.mdb-lock';
/** Named database of the store's metadata (format, owner, actor, clock checkpoint). */
export const META_DB = 'pluresdb-meta';
// The other named databases of the environment.
const RECORDS_DB = 'records';
const TOMBSTONES_DB = 'tombstones';
/** The change log (change-log.ts): entries by seq. */
const CHANGES_DB = 'changes';
const OUR_DBS = [META_DB, RECORDS_DB, TOMBSTONES_DB, CHANGES_DB];
/** Most named databases an environment may have (LMDB's `maxDbs`). */
export const MAX_DBS = 8;

/** An open, claimed data directory. */
export interface DataDir {
  readonly path: string;
  readonly file: string;
  readonly env: RootDatabase;
  /** Format version, owner, actor and clock checkpoints; string values. */
  readonly meta: Database<string, string>;
  /** Live records by key. */
  readonly records: Database<Buffer, string>;
  /** Deleted records (tombstones) by key. */
  readonly tombstones: Database<Buffer, string>;
  /** The change log: entries (change-log-entry.ts) by seq, in seq order. */
  readonly changes: Database<Buffer, number>;
  readonly owner: Owner;
  /** The persisted default actor id. */
  readonly actor: string;
  /** The persisted clock checkpoint (`undefined` in a new store). */
  readonly checkpoint: string | undefined;
  /** What `fixPermissions` tightened, one line each (spec/crdt.md#permissions). */
  readonly tightened: readonly string[];
  /** How paths are made private when not with POSIX modes (`openStore`'s `pathPrivacy`). */
  readonly privacy?: PathPrivacy | undefined;
}

/**
 * Opens and claims the data directory at `path`; rejects with a typed IpcError when it
 * cannot. Nothing in the directory changes unless it is a new or existing store (and, with
 * `fixPermissions`, its modes).
 */
export async function openDataDir(
  path: string,
  durability: Durability,
  writemap: boolean,
  fixPermissions = false,
  privacy?: PathPrivacy,
): Promise<DataDir> {
  if (typeof path !== 'string' || path === '')
    throw invalidArgument('path must be a non-empty string');
  const { dir, tightened } = prepareDirectory(resolve(path), fixPermissions, privacy);
  const file = join(dir, DATA_FILE);
  const registry = openDirectories();
  if (registry.has(dir)) {
    throw new IpcError(ErrorCode.StoreLocked, `${dir} is already open in this process`);
  }
  // Reserved before the first await, so a second open in this process is refused meanwhile
  // (the owner record would take this process's own claim for a stale one).
  registry.add(dir);
  try {
    const existing = checkLmdbFile(file);
    // Opening with a writable map extends the file to the map's size: an existing file is
    // first looked at read-only, so one the store refuses is left as it was.
    const unborn = [file, join(dir, LOCK_FILE)].filter((path) => !existsSync(path));
    if (writemap && existing) await inspectReadOnly(file, dir);
    const env = openEnvironment(file, dir, durability, writemap);
    try {
      makePrivate(unborn, privacy);
      return { ...claim(env, dir, file), tightened, privacy };
    } catch (error) {
      void env.close();
      throw storeError(error, dir, 'opening');
    }
  } catch (error) {
    registry.delete(dir);
    throw error;
  }
}

// lmdb-js creates its two files with mode 0664 less the umask (0644 under the usual 022)
// unless given `permissionsMode`, which it passes to mdb_env_open (read by its native code,
// not in its type definitions). The umask can only remove bits from 0600, so the files are
// never more open than that, from their creation on; `makePrivate` restores the owner's bits
// an odd umask removed. The directory is 0700 by then, so nobody else can reach the files
// meanwhile either way.
const lmdbFileMode = { permissionsMode: PRIVATE_FILE_MODE };

function openEnvironment(
  file: string,
  dir: string,
  durability: Durability,
  writemap: boolean,
): RootDatabase {
  try {
    return open({
      ...lmdbFileMode,
      path: file,
      // 'process': commit without fsync (the OS page cache survives kill -9); 'fsync': every
      // commit is synced before its writes are acknowledged. overlappingSync is off in both:
      // measured here it did not make acknowledged commits cheaper, and it would let a commit
      // be acknowledged before its fsync.
      noSync: durability === 'process',
      overlappingSync: false,
      // Commits into the memory map, no pwrite (a committed put: 4.4 instead of 10.7 µs).
      useWritemap: writemap,
      // All writes issued in one event turn commit in one transaction: what makes a batch (and
      // a record moving between the records and tombstones databases) atomic.
      eventTurnBatching: true,
      maxDbs: MAX_DBS,
    });
  } catch (error) {
    throw storeError(error, dir, 'opening');
  }
}

// The checks of `claim` that refuse an environment, made through a read-only open that
// cannot change the file.
async function inspectReadOnly(file: string, dir: string): Promise<void> {
  let probe: RootDatabase;
  try {
    // A read-only open still creates the lock file when it is missing.
    probe = open({ ...lmdbFileMode, path: file, readOnly: true, maxDbs: MAX_DBS });
  } catch (error) {
    throw storeError(error, dir, 'opening');
  }
  try {
    if (refuseForeign(probe, file)) {
      const meta = probe.openDB<string, string>({ name: META_DB, encoding: 'string' });
      checkFormat(meta.get('format'), file, false);
    }
  } catch (error) {
    throw storeError(error, dir, 'opening');
  } finally {
    await probe.close();
  }
}

// Creates the directory (0700, spec/crdt.md#permissions) or checks the existing one: a
// directory, writable, and with its files private to this user. Each step reports the path
// and the OS's reason of the first failure; nothing retries.
function prepareDirectory(
  dir: string,
  fixPermissions: boolean,
  privacy: PathPrivacy | undefined,
): { dir: string; tightened: string[] } {
  // makeDirectories gives POSIX modes; another system's form is applied to what it created.
  for (const created of makeDirectories(dir)) privacy?.make(created, 'data directory');
  const file = join(dir, DATA_FILE);
  try {
    accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK);
    try {
      accessSync(file, constants.R_OK | constants.W_OK);
    } catch (error) {
      if (Reflect.get(error as object, 'code') !== 'ENOENT') throw error;
    }
  } catch (error) {
    throw storeError(error, dir, 'opening');
  }
  // After the access checks: a directory this user cannot write is StoreReadOnly, whoever
  // owns it; one it can write is refused unless it is its own and private.
  const check = privacy?.check ?? checkPrivate;
  const tightened = [
    check(dir, 'data directory', fixPermissions),
    check(file, 'store file', fixPermissions),
    check(join(dir, LOCK_FILE), 'store file', fixPermissions),
  ].filter((line) => line !== undefined);
  try {
    return { dir: realpathSync(dir), tightened };
  } catch (error) {
    throw storeError(error, dir, 'opening');
  }
}

// The files LMDB just created: 0600 exactly (see lmdbFileMode), or the caller's form.
function makePrivate(created: readonly string[], privacy: PathPrivacy | undefined): void {
  if (privacy !== undefined) {
    for (const path of created) privacy.make(path, 'store file');
    return;
  }
  // Windows has no POSIX modes (chmod only toggles read-only, and fails with EBUSY on a file
  // LMDB holds open): there the files take the data directory's ACL (spec/crdt.md#permissions).
  if (process.platform === 'win32') return;
  for (const path of created) {
    if ((statSync(path).mode & 0o777) !== PRIVATE_FILE_MODE) chmodSync(path, PRIVATE_FILE_MODE);
  }
}

function claim(env: RootDatabase, dir: string, file: string): Omit<DataDir, 'tightened'> {
  // Look before creating anything: an LMDB environment that is not a store is left alone.
  refuseForeign(env, file);
  const meta = env.openDB<string, string>({ name: META_DB, encoding: 'string' });
  // A newer format is refused before anything else is created in the environment.
  checkFormat(meta.get('format'), file, false);
  const recordOptions = { encoding: 'binary' as const, keyEncoder: utf8KeyEncoder };
  const records = env.openDB<Buffer, string>({ name: RECORDS_DB, ...recordOptions });
  const tombstones = env.openDB<Buffer, string>({ name: TOMBSTONES_DB, ...recordOptions });
  // Keys are seqs: lmdb-js's default key encoding orders numbers numerically.
  const changes = env.openDB<Buffer, number>({ name: CHANGES_DB, encoding: 'binary' });
  const hasData = entryCount(records) + entryCount(tombstones) > 0;
  const owner = newOwner();
  const actor = env.transactionSync(() => {
    const format = meta.get('format');
    checkFormat(format, file, hasData);
    const holder = parseOwner(meta.get('owner'));
    if (holder !== undefined && ownerAlive(holder) && !isOwnStaleClaim(holder)) {
      throw new IpcError(
        ErrorCode.StoreLocked,
        `${dir} is held by process ${holder.pid} (since ${holder.since})`,
      );
    }
    // New, or format 1 (before the change log): this build's format from now on.
    if (format === undefined || Number(format) < FORMAT_VERSION)
      meta.putSync('format', String(FORMAT_VERSION));
    meta.putSync('owner', JSON.stringify(owner));
    let id = meta.get('actor');
    if (id === undefined) {
      id = `r${randomBytes(8).toString('hex')}`;
      meta.putSync('actor', id);
    }
    return id;
  });
  return {
    path: dir,
    file,
    env,
    meta,
    records,
    tombstones,
    changes,
    owner,
    actor,
    checkpoint: meta.get('clock'),
  };
}

/**
 * Throws `StoreCorrupt` when the environment holds databases that are not a store's; returns
 * whether it has the store's metadata database.
 */
function refuseForeign(env: RootDatabase, file: string): boolean {
  const names = [...env.getKeys()].map(String);
  if (names.some((name) => !OUR_DBS.includes(name))) {
    throw new IpcError(
      ErrorCode.StoreCorrupt,
      `${file} is an LMDB environment but not a PluresDB store`,
    );
  }
  return names.includes(META_DB);
}

/** Bytes of the data file in use: the pages up to the last one written. */
export function bytesInUse(data: DataDir): number {
  const stats = data.env.getStats() as { pageSize?: number; lastPageNumber?: number };
  return ((stats.lastPageNumber ?? 0) + 1) * (stats.pageSize ?? 0);
}

/** Number of entries in `db` (LMDB keeps the count; no scan). */
export function entryCount(db: Database<Buffer, string> | Database<Buffer, number>): number {
  const stats = db.getStats() as { entryCount?: number };
  return stats.entryCount ?? 0;
}

// This process's own claim is stale when no store in it has the directory open: the registry
// was checked before, so reaching here means the earlier store never released it.
function isOwnStaleClaim(holder: Owner): boolean {
  return holder.pid === process.pid;
}

function checkFormat(format: string | undefined, file: string, existing: boolean): void {
  if (format === undefined) {
    if (existing) throw new IpcError(ErrorCode.StoreCorrupt, `${file} has no format version`);
    return;
  }
  const version = Number(format);
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new IpcError(
      ErrorCode.StoreCorrupt,
      `${file} has an unreadable format version ${JSON.stringify(format)}`,
    );
  }
  if (version > FORMAT_VERSION) {
    throw new IpcError(
      ErrorCode.StoreVersion,
      `${file} has format version ${version}; this build reads up to ${FORMAT_VERSION}`,
    );
  }
}

/**
 * Releases the claim (when still ours), saving the clock `checkpoint` if given, and closes
 * the environment.
 */
export async function closeDataDir(data: DataDir, checkpoint?: string): Promise<void> {
  try {
    data.env.transactionSync(() => {
      const holder = parseOwner(data.meta.get('owner'));
      if (holder?.token !== data.owner.token) return;
      data.meta.removeSync('owner');
      if (checkpoint !== undefined) data.meta.putSync('clock', checkpoint);
    });
  } finally {
    openDirectories().delete(data.path);
    await data.env.close();
  }
}
