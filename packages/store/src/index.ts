// Public API of @pluresdb-ipc/store: a CRDT document store on LMDB (spec/crdt.md).

export type { CatchUp } from './change-catch-up.ts';
export type { PrivateKind } from './data-dir-permissions.ts';
export { HybridClock, hlcCounter, hlcMs, MAX_HLC_COUNTER, MAX_HLC_MS, packHlc } from './hlc.ts';
export {
  DEFAULT_CHANGE_LOG_MAX_AGE_MS,
  DEFAULT_CHANGE_LOG_MAX_BYTES,
  DEFAULT_CHANGE_LOG_MAX_ENTRIES,
  DEFAULT_LIST_LIMIT,
  DEFAULT_MAX_CLOCK_DRIFT_MS,
  DEFAULT_MAX_VALUE_BYTES,
  FORMAT_VERSION,
  MAX_ACTOR_BYTES,
  MAX_FIELDS,
  MAX_JSON_DEPTH,
  MAX_KEY_BYTES,
  MAX_LIST_LIMIT,
} from './limits.ts';
export { openStore } from './open-store.ts';
export {
  isLmdbCommitFailure,
  surviveOrphanedCommitFailures,
} from './orphaned-commit-failure.ts';
export type { PathPrivacy } from './path-privacy.ts';
export type { RecordPage, RecordPageOptions } from './record-pages.ts';
export { type GetRecordOptions, Store, type WriteOptions } from './store.ts';
export type { BackupInfo } from './store-backup.ts';
export {
  DEFAULT_TOMBSTONE_HORIZON_MS,
  DEFAULT_TOMBSTONE_SWEEP_MS,
  TOMBSTONE_SWEEP_CHUNK,
} from './tombstone-gc.ts';
export type * from './types.ts';
