// The idle targets: 64 connected clients that send nothing must cost the server little memory
// and neither side CPU, and the first request after the idle period pays only a wake-up.
import process from 'node:process';
import { connect, type IpcClient } from '@pluresdb-ipc/client-node';
import { rssMib, threadsCpuMicros } from '../client/process-metrics.ts';

/** What the idle checks measured. */
export interface IdleChecks {
  readonly idle_clients: number;
  /** Server resident memory before the clients connected, and with them connected, MiB. */
  readonly server_rss_mib_before: number;
  readonly server_rss_mib_with_clients: number;
  /** CPU use over the idle window, percent of one core. */
  readonly server_idle_cpu_percent: number;
  readonly client_process_idle_cpu_percent: number;
  /** The first get after the idle window (both sides asleep), µs. */
  readonly first_get_after_idle_us: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Connects `count` clients from this process to the server `serverPid` of `channel`, lets
 * everything settle for a second, measures `idleMs` of idleness, then one get.
 */
export async function idleChecks(
  channel: string,
  serverPid: number,
  count: number,
  idleMs: number,
): Promise<IdleChecks> {
  const before = rssMib(serverPid);
  const clients: IpcClient[] = [];
  try {
    for (let i = 0; i < count; i++)
      clients.push(await connect(channel, { clientName: `idle-${i}` }));
    await Promise.all(clients.map((client) => client.getBytes('bench/doc-100')));
    await sleep(1000);
    const serverCpu = threadsCpuMicros(serverPid);
    const ownCpu = process.cpuUsage();
    await sleep(idleMs);
    const serverIdle = threadsCpuMicros(serverPid) - serverCpu;
    const ownUsage = process.cpuUsage(ownCpu);
    const started = performance.now();
    await clients[0]?.getBytes('bench/doc-100');
    const firstGetUs = (performance.now() - started) * 1000;
    return {
      idle_clients: count,
      server_rss_mib_before: before,
      server_rss_mib_with_clients: rssMib(serverPid),
      server_idle_cpu_percent: (serverIdle / (idleMs * 1000)) * 100,
      client_process_idle_cpu_percent: ((ownUsage.user + ownUsage.system) / (idleMs * 1000)) * 100,
      first_get_after_idle_us: firstGetUs,
    };
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
}
