// Baseline 1: HTTP/1.1 keep-alive on localhost, the way the original project served clients.
import { httpClient } from '../baselines/http-client.ts';
import type { BenchTarget } from '../types.ts';

/** A keep-alive client of the HTTP baseline on `port`, with enough connections for 256 in flight. */
export function httpTarget(port: number): BenchTarget {
  const client = httpClient(port, 256);
  return {
    transport: 'http',
    get: (key) => client.get(key),
    put: (key, json) => client.put(key, json),
    list: (prefix, limit) => client.list(prefix, limit),
    close: () => client.close(),
  };
}
