// Client side of the Redis baseline: the official client (@redis/client), one connection per
// process over the Unix socket. Commands issued in the same event-loop turn go out as one
// pipeline, as that client always does, so N in flight is N pipelined commands. Values come
// back as bytes (a Buffer), as the IPC client's getBytes returns them.
import { createClient, RESP_TYPES } from '@redis/client';
import type { BenchTarget } from '../types.ts';

/** A connected client of the redis-server at `socketPath`, values as bytes. */
export async function redisTarget(socketPath: string): Promise<BenchTarget> {
  const client = await createClient({ socket: { path: socketPath, tls: false } })
    .withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer })
    .connect();
  return {
    transport: 'redis',
    get: async (key) => {
      const value = await client.get(key);
      if (value === null) throw new Error(`redis: no value at ${key}`);
      return value;
    },
    put: (key, json) => client.set(key, Buffer.from(json.buffer, json.byteOffset, json.length)),
    // Redis has no ordered listing by prefix (SCAN is unordered and unbounded): no list rows.
    list: () => Promise.reject(new Error('redis: the benchmark has no list for Redis')),
    ping: () => client.ping(),
    close: async () => {
      // Idempotent, as the other targets' close is.
      if (client.isOpen) await client.close();
    },
  };
}
