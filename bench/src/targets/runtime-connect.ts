// Benchmark clients run the same file in Node, Bun and Deno: this picks the client package of
// the runtime running it (each imported only there, so Bun never loads the Deno binding).
import type { ConnectOptions, PluresClient } from '@pluresdb-ipc/protocol';

/** Connects with the IPCClient of the runtime this process runs in. */
export async function connectInThisRuntime(
  channel: string,
  options: ConnectOptions,
): Promise<PluresClient> {
  if ('Bun' in globalThis)
    return (await import('@pluresdb-ipc/client-bun')).IPCClient.connect(channel, options);
  if ('Deno' in globalThis)
    return (await import('@pluresdb-ipc/client-deno')).IPCClient.connect(channel, options);
  return (await import('@pluresdb-ipc/client-node')).IPCClient.connect(channel, options);
}
