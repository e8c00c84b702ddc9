// The thing under test: a PluresDB IPC client of the runtime this process runs in.
import type { PluresClient } from '@pluresdb-ipc/protocol';
import { drive, type PhaseResult } from '../measure/workload.ts';
import type { BenchTarget } from '../types.ts';
import { connectInThisRuntime } from './runtime-connect.ts';

/** The IPC target, plus the event-delay measurement only it can make. */
export interface IpcTarget extends BenchTarget {
  /** Write-to-event delay: one put at a time, each timed until its event arrives. */
  eventDelay(key: string, ms: number): Promise<PhaseResult>;
}

/** The runtime's own client package's `connect`. */
const connect = (channel: string, name: string): Promise<PluresClient> =>
  connectInThisRuntime(channel, { clientName: name });

/** Connects to `channel`. */
export async function ipcTarget(channel: string): Promise<IpcTarget> {
  const client = await connect(channel, 'bench');
  let watcher: PluresClient | undefined;
  return {
    transport: 'ipc',
    get: (key) => client.getBytes(key),
    getSync: (key) => client.getBytesSync(key),
    put: (key, json) => client.put(key, json),
    list: (prefix, limit) => client.list({ prefix, limit }),
    ping: () => client.ping(),
    count: (prefix) => client.count({ prefix }),
    async eventDelay(key, ms) {
      watcher ??= await connect(channel, 'bench-watcher');
      let arrived: (() => void) | undefined;
      const subscription = await watcher.subscribe(key, () => arrived?.());
      const document = new TextEncoder().encode('{"n":1}');
      try {
        return await drive(
          () =>
            new Promise<void>((resolve, reject) => {
              arrived = resolve;
              client.put(key, document).catch(reject);
            }),
          1,
          ms,
        );
      } finally {
        await subscription.unsubscribe();
      }
    },
    async close() {
      await watcher?.close();
      await client.close();
    },
  };
}
