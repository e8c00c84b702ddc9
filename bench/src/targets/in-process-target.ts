// The floor for the JavaScript work: the same store, called in this process (no transport).
import { join } from 'node:path';
import process from 'node:process';
import { openBaselineStore } from '../baselines/baseline-store.ts';
import { documentOfSize } from '../client/documents.ts';
import type { BenchTarget } from '../types.ts';

/**
 * Opens a store of this process's own under `dir` (a store has one owner process) and writes
 * the `seed` documents into it first.
 */
export async function inProcessTarget(
  dir: string,
  seed: readonly { key: string; bytes: number }[],
): Promise<BenchTarget> {
  // The server's commit policy, so the floor is comparable.
  const store = await openBaselineStore(join(dir, String(process.pid)));
  for (const { key, bytes } of seed) await store.putJson(key, documentOfSize(bytes));
  return {
    transport: 'in-process',
    // async, so a throw becomes a rejection as it would through a transport
    get: async (key) => store.getJson(key),
    put: (key, json) => store.putJson(key, json),
    list: async (prefix, limit) => store.list({ prefix, limit }),
    close: () => store.close(),
  };
}
