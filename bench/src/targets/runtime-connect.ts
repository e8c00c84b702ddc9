// Benchmark clients run the same file in Node, Bun and Deno: this picks the client package of
// the runtime running it (each imported only there, so Bun never loads the Deno binding).
import type { ConnectOptions, PluresClient } from '@pluresdb-ipc/protocol';

/** Connects with the `connect` of the runtime this process runs in. */
export async function connectInThisRuntime(
  channel: string,
  options: ConnectOptions,
): Promise<PluresClient> {
  if ('Bun' in globalThis)
    return (await import('@pluresdb-ipc/client-bun')).connect(channel, options);
  if ('Deno' in globalThis)
    return (await import('@pluresdb-ipc/client-deno')).connect(channel, options);
  return (await import('@pluresdb-ipc/client-node')).connect(channel, options);
}
