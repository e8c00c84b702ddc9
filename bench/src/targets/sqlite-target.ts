// Baseline: SQLite in this process through better-sqlite3, the bar a cross-process point read
// is measured against (an embedded database has no transport at all). One table of key → JSON
// bytes; WAL with synchronous=NORMAL, so a committed write survives the process but not a
// power cut: the IPC server's `process` durability. Each put commits on its own.
// A rowid table, not WITHOUT ROWID: that kind keeps whole rows in its key b-tree, and with the
// seed's 1 MiB document in it a point read of the 100 B one took 65–180 µs instead of 3.4 µs
// (SQLite's docs advise WITHOUT ROWID only for rows well under a page).
import { join } from 'node:path';
import process from 'node:process';
import Database from 'better-sqlite3';
import { documentOfSize } from '../client/documents.ts';
import type { BenchTarget } from '../types.ts';

/** The first string after every string that starts with `prefix` (its exclusive upper bound). */
function afterPrefix(prefix: string): string {
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

/**
 * Opens a database of this process's own under `dir` and writes the `seed` documents into it.
 * Calls are synchronous underneath; the target wraps them in promises as the other in-process
 * floor does.
 */
export async function sqliteTarget(
  dir: string,
  seed: readonly { key: string; bytes: number }[],
): Promise<BenchTarget> {
  const db = new Database(join(dir, `${process.pid}.sqlite`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value BLOB NOT NULL)');
  const select = db.prepare<[string], Buffer>('SELECT value FROM kv WHERE key = ?').pluck();
  const upsert = db.prepare<[string, Uint8Array]>(
    'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const range = db.prepare<[string, string, number], { key: string; value: Buffer }>(
    'SELECT key, value FROM kv WHERE key >= ? AND key < ? ORDER BY key LIMIT ?',
  );
  for (const { key, bytes } of seed) upsert.run(key, documentOfSize(bytes));
  return {
    transport: 'sqlite',
    // async, so a throw becomes a rejection as it would through a transport
    get: async (key) => {
      const value = select.get(key);
      if (value === undefined) throw new Error(`sqlite: no value at ${key}`);
      return value;
    },
    put: async (key, json) => upsert.run(key, json),
    list: async (prefix, limit) => range.all(prefix, afterPrefix(prefix), limit),
    close: async () => {
      db.close();
    },
  };
}
