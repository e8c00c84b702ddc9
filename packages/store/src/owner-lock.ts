// Who holds a data directory (spec/crdt.md#locking). LMDB lets any number of processes open
// one environment, so the store records its owner (pid, process start time, a random token)
// inside the environment, and claims it in a write transaction: LMDB's writer lock
// serialises those transactions across processes, so two openers cannot both win. An owner
// whose process is gone (or whose pid now belongs to a process started later) is stale and
// is replaced; that is how a directory left behind by `kill -9` reopens.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import process from 'node:process';

/** The owner record kept in the store's meta database. */
export interface Owner {
  readonly pid: number;
  /** Process start time (Linux: field 22 of /proc/PID/stat, clock ticks); '' when unknown. */
  readonly start: string;
  /** Random per-open token, so an owner can tell its own claim from another's. */
  readonly token: string;
  /** When the claim was made (ISO 8601), for humans. */
  readonly since: string;
}

/** A new owner record for this process. */
export function newOwner(): Owner {
  return {
    pid: process.pid,
    start: processStart(process.pid),
    token: randomBytes(12).toString('hex'),
    since: new Date().toISOString(),
  };
}

/** Parses an owner record; `undefined` when absent or unreadable (treated as no owner). */
export function parseOwner(text: string | undefined): Owner | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const { pid, start, token, since } = value as Record<string, unknown>;
    if (typeof pid !== 'number' || typeof start !== 'string' || typeof token !== 'string')
      return undefined;
    return { pid, start, token, since: typeof since === 'string' ? since : '' };
  } catch {
    return undefined;
  }
}

/** True when the owner's process still runs (same pid and, where known, same start time). */
export function ownerAlive(owner: Owner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    if (Reflect.get(error as object, 'code') !== 'EPERM') return false;
  }
  if (owner.start === '') return true;
  const start = processStart(owner.pid);
  return start === '' || start === owner.start;
}

/** Start time of process `pid` from /proc, or '' where /proc is not available. */
export function processStart(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command) is parenthesised and may hold spaces: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? '';
  } catch {
    return '';
  }
}

// Directories open in this process, shared through a global symbol so that two copies of
// this package (say src and dist in one test run) still refuse to open one directory twice.
const registryKey = Symbol.for('@pluresdb-ipc/store/open-directories');

/** The process-wide set of data directories currently open (by real path). */
export function openDirectories(): Set<string> {
  const global = globalThis as { [registryKey]?: Set<string> };
  global[registryKey] ??= new Set<string>();
  return global[registryKey];
}
