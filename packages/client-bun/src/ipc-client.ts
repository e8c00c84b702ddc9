// The Bun client: the shared IpcClient over the Bun platform binding.
import { type ConnectOptions, IpcClient } from '@pluresdb-ipc/protocol';
import { bunPlatform } from './bun-platform.ts';

/** The PluresDB IPC client for Bun. */
export class IPCClient extends IpcClient {
  /**
   * Connects to the server of `channel` (default `"default"`) through shared memory.
   * Throws `IpcError` `Unavailable` when no server runs on it, `ServerFull` when all slots
   * are taken, `VersionMismatch` or `Unauthenticated` when the server refuses.
   */
  static async connect(channel = 'default', options: ConnectOptions = {}): Promise<IPCClient> {
    const client = new IPCClient(bunPlatform, channel, options);
    await client.start();
    return client;
  }
}
