// The target a job names, imported only when used: a Bun or Deno process never loads undici,
// only the in-process target loads the store, only the sqlite target better-sqlite3.
import type { BenchTarget } from '../types.ts';
import type { ClientJob } from './job.ts';

/** Opens the job's transport. */
export async function openTarget(job: ClientJob): Promise<BenchTarget> {
  const { endpoint } = job;
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the ${job.transport} job has no ${what}`);
    return value;
  };
  switch (job.transport) {
    case 'ipc':
      return (await import('../targets/ipc-target.ts')).ipcTarget(
        need(endpoint.channel, 'channel'),
      );
    case 'http':
      return (await import('../targets/http-target.ts')).httpTarget(
        need(endpoint.httpPort, 'port'),
      );
    case 'uds':
      // One connection per process, pipelined by id, as a JSON-over-socket client usually is.
      return (await import('../baselines/uds-client.ts')).udsTarget(
        need(endpoint.udsPath, 'socket'),
        1,
      );
    case 'redis':
      return (await import('../baselines/redis-client.ts')).redisTarget(
        need(endpoint.redisPath, 'socket'),
      );
    case 'sqlite':
      return (await import('../targets/sqlite-target.ts')).sqliteTarget(
        need(endpoint.sqliteDir, 'data directory'),
        job.seed,
      );
    case 'in-process':
      return (await import('../targets/in-process-target.ts')).inProcessTarget(
        need(endpoint.inProcessDir, 'data directory'),
        job.seed,
      );
    case 'shm-pingpong':
      return (await import('../baselines/shm-pingpong-client.ts')).shmPingPongTarget(
        need(endpoint.shmName, 'segment'),
      );
  }
}
