// Creating a data directory and its missing parents one level at a time, each owner-only
// (spec/crdt.md#permissions). Node's `mkdirSync(dir, { recursive: true })` is not used: on a
// path whose parent exists but refuses the mkdir with ENOENT (any path under /proc) it retries
// forever at full CPU, and for several missing levels it reports the deepest one's ENOENT
// where the real failure higher up was EROFS or EACCES.
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { invalidArgument, pathError } from './store-errors.ts';

/** Mode of every directory the store creates, whatever the process umask. */
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Creates the absolute directory `dir` and its missing parents, each with mode 0700; returns
 * the directories it created, outermost first. Throws an IpcError naming the first path it
 * could not look at or create and the OS's reason (errno); an existing path that is not a
 * directory is `InvalidArgument`. Tries each directory once: nothing here retries.
 */
export function makeDirectories(dir: string): string[] {
  const missing: string[] = [];
  for (let path = dir; ; ) {
    const found = lookAt(path);
    if (found === 'directory') break;
    if (found === 'other') throw invalidArgument(`${path} is not a directory`);
    const parent = dirname(path);
    // The root always exists; a missing root is a file system beyond repair.
    if (parent === path) throw invalidArgument(`${path} does not exist`);
    missing.push(path);
    path = parent;
  }
  const created: string[] = [];
  for (const path of missing.reverse()) {
    try {
      mkdirSync(path, { mode: PRIVATE_DIR_MODE });
    } catch (error) {
      // Created by someone else meanwhile: fine, if it is a directory (it is checked later).
      if (code(error) === 'EEXIST' && lookAt(path) === 'directory') continue;
      throw pathError(error, path, 'creating directory');
    }
    try {
      // The umask can only have removed bits; put back the owner's, which LMDB needs.
      chmodSync(path, PRIVATE_DIR_MODE);
    } catch (error) {
      throw pathError(error, path, 'setting the mode of');
    }
    created.push(path);
  }
  return created;
}

/** What is at `path`: a directory, something else, or nothing (so far as the path resolves). */
function lookAt(path: string): 'directory' | 'other' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'other';
  } catch (error) {
    // ENOTDIR: a parent is a file; walking up finds and names it.
    if (code(error) === 'ENOENT' || code(error) === 'ENOTDIR') return 'missing';
    throw pathError(error, path, 'looking at');
  }
}

function code(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? Reflect.get(error, 'code') : undefined;
}
