// `pluresdb-ipc serve`: runs the server until SIGINT/SIGTERM, then stops it cleanly.
import { type ChangeLogOptions, surviveOrphanedCommitFailures } from '@pluresdb-ipc/store';
import { IpcServer } from '../ipc-server.ts';
import type { ServeOptions } from '../server-options.ts';
import { writeErr, writeOut } from './closed-output.ts';
import { ExitCode, UsageError } from './output.ts';
import { watchParent } from './parent-watch.ts';
import { nonNegativeInteger, type ParsedArgs, positiveInteger } from './parse-args.ts';
import { readSecretFile } from './secret-file.ts';

/** Runs the server; resolves with the exit code once it has stopped. */
export async function serveCommand(args: ParsedArgs): Promise<number> {
  const { values } = args;
  const durability = values.durability;
  if (durability !== undefined && durability !== 'process' && durability !== 'fsync') {
    throw new UsageError('--durability must be "process" or "fsync"');
  }
  if (values.writemap === true && durability === 'fsync') {
    throw new UsageError('--writemap goes with --durability process only');
  }
  const options: ServeOptions = {
    ...(values.channel === undefined ? {} : { channel: values.channel }),
    ...(values.data === undefined ? {} : { dataDir: values.data }),
    ...(values['max-clients'] === undefined
      ? {}
      : { maxClients: positiveInteger(values['max-clients'], '--max-clients') }),
    ...(values['ring-bytes'] === undefined
      ? {}
      : { ringBytes: positiveInteger(values['ring-bytes'], '--ring-bytes') }),
    ...(values['max-value-bytes'] === undefined
      ? {}
      : { maxValueBytes: positiveInteger(values['max-value-bytes'], '--max-value-bytes') }),
    ...(durability === undefined ? {} : { durability }),
    ...(values.writemap === undefined ? {} : { writemap: values.writemap }),
    ...changeLogFlags(values),
    ...(values['spin-micros'] === undefined
      ? {}
      : { spinMicros: positiveInteger(values['spin-micros'], '--spin-micros') }),
    ...(values['max-outbound-bytes'] === undefined
      ? {}
      : {
          maxOutboundBytes: positiveInteger(values['max-outbound-bytes'], '--max-outbound-bytes'),
        }),
    ...(values['secret-file'] === undefined
      ? {}
      : { secret: readSecretFile(values['secret-file']) }),
    ...(values['fix-permissions'] === undefined
      ? {}
      : { fixPermissions: values['fix-permissions'] }),
    ...(values['tombstone-horizon-ms'] === undefined
      ? {}
      : {
          tombstoneHorizonMs: nonNegativeInteger(
            values['tombstone-horizon-ms'],
            '--tombstone-horizon-ms',
          ),
        }),
    // Through writeErr: a closed stderr (`serve 2>&1 | head -1`) must not end the server.
    log: (line) => writeErr(`${line}\n`),
  };
  const parentPid =
    values['parent-pid'] === undefined
      ? undefined
      : positiveInteger(values['parent-pid'], '--parent-pid');
  // A failed batched commit ('fsync' mode, a full disk) leaves lmdb-js with a rejection nobody
  // handles; every write it failed is answered with the error, and the server goes on.
  surviveOrphanedCommitFailures();
  // Before the store opens: a parent gone already means nobody wants this server.
  let parentGone = false;
  let whenParentGone = (): void => {
    parentGone = true;
  };
  const unwatch =
    parentPid === undefined ? () => {} : watchParent(parentPid, () => whenParentGone());
  let server: IpcServer;
  try {
    server = await IpcServer.start(options);
  } catch (error) {
    unwatch();
    throw error;
  }
  const { channel, dataDir } = server.options;
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) {
        writeErr(`pluresdb-ipc: ${signal} again, exiting without a clean stop\n`);
        process.exit(ExitCode.Failed);
      }
      stopping = true;
      unwatch();
      server.log(`${signal}: stopping`);
      server.stop().then(
        () => {
          server.log('stopped');
          resolve(ExitCode.Ok);
        },
        (error: unknown) => {
          server.log(`stop failed: ${String(error)}`);
          resolve(ExitCode.Failed);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    whenParentGone = () => stop(`parent process ${parentPid} is gone`);
    if (parentGone) {
      whenParentGone();
      return;
    }
    // Only now: whoever reads this line may signal at once, and an earlier signal would have
    // killed the process without a clean stop, leaving its segment behind.
    writeOut(`pluresdb-ipc ready: channel "${channel}", data ${dataDir}, pid ${process.pid}\n`);
  });
}

/** `--change-log-entries/-bytes/-age-ms` as the store's change log bounds (0 = no limit). */
function changeLogFlags(values: ParsedArgs['values']): { changeLog?: ChangeLogOptions } {
  const entries = values['change-log-entries'];
  const bytes = values['change-log-bytes'];
  const ageMs = values['change-log-age-ms'];
  if (entries === undefined && bytes === undefined && ageMs === undefined) return {};
  return {
    changeLog: {
      ...(entries === undefined
        ? {}
        : { maxEntries: nonNegativeInteger(entries, '--change-log-entries') }),
      ...(bytes === undefined ? {} : { maxBytes: nonNegativeInteger(bytes, '--change-log-bytes') }),
      ...(ageMs === undefined
        ? {}
        : { maxAgeMs: nonNegativeInteger(ageMs, '--change-log-age-ms') }),
    },
  };
}
