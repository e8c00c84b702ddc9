// Benchmark clients run the same file in Node, Bun and Deno: this picks the client package of
// the runtime running it (each imported only there, so Bun never loads the Deno binding).
import type { ConnectOptions, PluresClient } from '@pluresdb-ipc/protocol';
import type { LibcCalls } from '@pluresdb-ipc/protocol/transport';
import type { RuntimeName } from '../types.ts';

/** The runtime this process runs in. */
export const thisRuntime: RuntimeName =
  'Bun' in globalThis ? 'bun' : 'Deno' in globalThis ? 'deno' : 'node';

/** Connects with the `connect` of the runtime this process runs in. */
export async function connectInThisRuntime(
  channel: string,
  options: ConnectOptions,
): Promise<PluresClient> {
  if (thisRuntime === 'bun')
    return (await import('@pluresdb-ipc/client-bun')).connect(channel, options);
  if (thisRuntime === 'deno')
    return (await import('@pluresdb-ipc/client-deno')).connect(channel, options);
  return (await import('@pluresdb-ipc/client-node')).connect(channel, options);
}

/** The libc binding the client of this runtime uses (to ask about its process waiter). */
export async function libcInThisRuntime(): Promise<LibcCalls> {
  if (thisRuntime === 'bun') return (await import('@pluresdb-ipc/client-bun')).bunLibc;
  if (thisRuntime === 'deno') return (await import('@pluresdb-ipc/client-deno')).denoLibc;
  return (await import('@pluresdb-ipc/client-node')).nodeLibc;
}
