// Connecting from Deno: the shared IpcClient over the Deno platform binding (Deno.dlopen).
import type { ConnectOptions } from '@pluresdb-ipc/protocol';
import { DEFAULT_CHANNEL, IpcClient } from '@pluresdb-ipc/protocol/transport';
import { denoOnWindowsError, denoPlatform } from './deno-platform.ts';

/**
 * Connects to the server of `channel` (default `"default"`) through shared memory, from Deno.
 * Throws `IpcError` `Unavailable` when no server runs on it, `ServerFull` when all slots
 * are taken, `VersionMismatch` or `Unauthenticated` when the server refuses. On Windows it
 * fails at once with `Unavailable`: Deno on Windows is not offered (untested).
 */
export function connect(
  channel: string = DEFAULT_CHANNEL,
  options: ConnectOptions = {},
): Promise<IpcClient> {
  if (Deno.build.os === 'windows') return Promise.reject(denoOnWindowsError());
  return IpcClient.connectWith(denoPlatform, channel, options);
}

/**
 * Alias of {@link connect}: `IPCClient.connect(channel, options)` is `connect(channel, options)`.
 * Kept so code written against 0.1 keeps working; new code calls `connect`.
 * @deprecated Use {@link connect}, and the type `IpcClient`.
 */
export const IPCClient: { readonly connect: typeof connect } = { connect };

/**
 * Alias of the type `IpcClient` (what {@link connect} returns).
 * @deprecated Use `IpcClient`.
 */
export type IPCClient = IpcClient;
