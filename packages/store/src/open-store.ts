// openStore: validates options, opens and claims the data directory, and wires the parts.
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import { ChangeFeed } from './change-feed.ts';
import { ChangeLog } from './change-log.ts';
import { resolveChangeLogLimits } from './change-log-options.ts';
import { ChangeLogPruner } from './change-log-pruner.ts';
import { parseCheckpoint } from './clock-checkpoint.ts';
import { CommitQueue } from './commit-queue.ts';
import { closeDataDir, openDataDir } from './data-dir.ts';
import { HybridClock } from './hlc.ts';
import { checkActor } from './keys.ts';
import { DEFAULT_MAX_CLOCK_DRIFT_MS, DEFAULT_MAX_VALUE_BYTES } from './limits.ts';
import { Store } from './store.ts';
import { invalidArgument } from './store-errors.ts';
import {
  DEFAULT_TOMBSTONE_HORIZON_MS,
  DEFAULT_TOMBSTONE_SWEEP_MS,
  TombstoneCollector,
} from './tombstone-gc.ts';
import type { Durability, StoreEvent, StoreOptions } from './types.ts';

/**
 * Opens (creating when needed) the store in directory `options.path`. Rejects with an
 * IpcError: `StoreLocked` when another live process (or another store in this process) has
 * it open, `StoreVersion` when a newer format wrote it, `StoreCorrupt` when it is damaged or
 * not a store, `StoreReadOnly` when it cannot be written, `PermissionDenied` when it or its
 * files belong to another user or other users can read or write them (unless
 * `fixPermissions`), `InvalidArgument` for bad options or a path that cannot be a directory.
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  if (typeof options !== 'object' || options === null)
    throw invalidArgument('openStore expects an options object');
  const durability: Durability = options.durability ?? 'process';
  if (durability !== 'process' && durability !== 'fsync') {
    throw invalidArgument(
      `durability must be 'process' or 'fsync', got ${JSON.stringify(durability)}`,
    );
  }
  if (options.actor !== undefined) checkActor(options.actor);
  const maxValueBytes = positive(options.maxValueBytes, DEFAULT_MAX_VALUE_BYTES, 'maxValueBytes');
  const maxClockDriftMs = positive(
    options.maxClockDriftMs,
    DEFAULT_MAX_CLOCK_DRIFT_MS,
    'maxClockDriftMs',
  );
  const writemap = options.writemap ?? false;
  if (typeof writemap !== 'boolean') throw invalidArgument('writemap must be a boolean');
  if (writemap && durability !== 'process')
    throw invalidArgument("writemap applies to durability 'process' only");
  const horizonMs = nonNegative(
    options.tombstoneHorizonMs,
    DEFAULT_TOMBSTONE_HORIZON_MS,
    'tombstoneHorizonMs',
  );
  const sweepMs = nonNegative(
    options.tombstoneSweepMs,
    DEFAULT_TOMBSTONE_SWEEP_MS,
    'tombstoneSweepMs',
  );
  const fixPermissions = options.fixPermissions ?? false;
  if (typeof fixPermissions !== 'boolean')
    throw invalidArgument('fixPermissions must be a boolean');
  const logLimits = resolveChangeLogLimits(options.changeLog);
  const data = await openDataDir(
    options.path,
    durability,
    writemap,
    fixPermissions,
    options.pathPrivacy,
  );
  try {
    let checkpoint: ReturnType<typeof parseCheckpoint>;
    try {
      checkpoint = parseCheckpoint(data.checkpoint);
    } catch (error) {
      throw new IpcError(ErrorCode.StoreCorrupt, `${data.file}: unreadable clock checkpoint`, {
        cause: error,
      });
    }
    const wallClock = options.wallClock ?? Date.now;
    const clock = new HybridClock(wallClock, checkpoint.hlc);
    const feed = new ChangeFeed(options.onListenerError ?? reportListenerError);
    const log = new ChangeLog(data, wallClock, checkpoint.seq);
    const pruner = new ChangeLogPruner(log, logLimits, wallClock);
    // With fsync, a commit in place would hold the thread for the device's flush: always batch.
    const inPlace = durability === 'process';
    const queue = new CommitQueue(data, feed, log, pruner, clock, checkpoint.seq, inPlace);
    pruner.admits = (bytes) => queue.admitsRemoval(bytes);
    const actor = options.actor ?? data.actor;
    const collector =
      horizonMs === 0
        ? undefined
        : new TombstoneCollector({
            data,
            wallMs: () => clock.wallMs(),
            horizonMs,
            busy: () => queue.pendingWrites > 0,
          });
    return new Store({
      data,
      clock,
      queue,
      feed,
      log,
      pruner,
      actor,
      durability,
      maxValueBytes,
      maxClockDriftMs,
      collector,
      sweepMs,
    });
  } catch (error) {
    await closeDataDir(data);
    throw error;
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0)
    throw invalidArgument(`${name} must be a positive integer`);
  return value;
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0)
    throw invalidArgument(`${name} must be a non-negative integer`);
  return value;
}

function reportListenerError(error: unknown, event: StoreEvent): void {
  console.error(`store subscriber threw on ${event.kind} of ${JSON.stringify(event.id)}:`, error);
}
