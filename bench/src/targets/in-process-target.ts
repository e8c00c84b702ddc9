// The floor for the JavaScript work: the same store, called in this process (no transport).
import { join } from 'node:path';
import process from 'node:process';
import { openStore } from '@pluresdb-ipc/store';
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
  // The server's commit policy, so the floor is comparable: a put with no other outstanding
  // commits in place, one among others is batched with them.
  let puts = 0;
  const store = await openStore({
    path: join(dir, String(process.pid)),
    durability: 'process',
    commitNow: () => puts === 1,
  });
  for (const { key, bytes } of seed) await store.putJson(key, documentOfSize(bytes));
  return {
    transport: 'in-process',
    // async, so a throw becomes a rejection as it would through a transport
    get: async (key) => store.getJson(key),
    put: (key, json) => {
      puts++;
      return store.putJson(key, json).finally(() => {
        puts--;
      });
    },
    list: async (prefix, limit) => store.list({ prefix, limit }),
    close: () => store.close(),
  };
}
