// Writes the run's documents into every server's store through its own protocol.
import { connect } from '@pluresdb-ipc/client-node';
import { httpClient } from '../baselines/http-client.ts';
import { redisTarget } from '../baselines/redis-client.ts';
import { udsTarget } from '../baselines/uds-client.ts';
import { documentOfSize } from '../client/documents.ts';
import type { Endpoint } from '../client/job.ts';
import { COUNT_KEYS, COUNT_PREFIX, seed } from './plan.ts';

/**
 * Seeds the IPC, HTTP and Unix-socket servers at these endpoints, and Redis when it runs (the
 * in-process floors seed their own stores).
 */
export async function seedServers(
  ipc: Endpoint,
  http: Endpoint,
  uds: Endpoint,
  redis: Endpoint | undefined,
): Promise<void> {
  const client = await connect(ipc.channel ?? '', { clientName: 'bench-seed' });
  const web = httpClient(http.httpPort ?? 0, 4);
  const socket = await udsTarget(uds.udsPath ?? '', 1);
  const cache = redis === undefined ? undefined : await redisTarget(redis.redisPath ?? '');
  try {
    for (const { key, bytes } of seed) {
      const document = documentOfSize(bytes);
      await Promise.all([
        client.put(key, document),
        web.put(key, document),
        socket.put(key, document),
        cache?.put(key, document),
      ]);
    }
    await seedCountPrefix(client);
  } finally {
    await Promise.all([client.close(), web.close(), socket.close(), cache?.close()]);
  }
}

/** The documents of the `count 10k` and `list 10k` rows, in batches of 1,000. */
async function seedCountPrefix(client: { batch: IpcBatch }): Promise<void> {
  const document = documentOfSize(100);
  for (let base = 0; base < COUNT_KEYS; base += 1000) {
    await client.batch(
      Array.from({ length: Math.min(1000, COUNT_KEYS - base) }, (_, i) => ({
        kind: 'put' as const,
        key: `${COUNT_PREFIX}${String(base + i).padStart(5, '0')}`,
        value: document,
      })),
    );
  }
}

type IpcBatch = Awaited<ReturnType<typeof connect>>['batch'];
