// Limits the store enforces on its inputs (spec/crdt.md#limits). Every one is checked before
// anything is written, so a rejected request leaves the store unchanged.

/** Largest key, in UTF-8 bytes. LMDB itself allows 1,978; the rest is headroom for cursors. */
export const MAX_KEY_BYTES = 1024;

/** Largest actor (replica) id, in UTF-8 bytes. */
export const MAX_ACTOR_BYTES = 255;

/** Default largest record data (its JSON), in UTF-8 bytes; `openStore({ maxValueBytes })` changes it. */
export const DEFAULT_MAX_VALUE_BYTES = 16 * 1024 * 1024;

/** Deepest nesting of arrays and objects accepted in a value. */
export const MAX_JSON_DEPTH = 512;

/** Most fields (live and tombstoned) one record may hold. */
export const MAX_FIELDS = 65_535;

/** Page size `list` uses when the caller gives none (or 0, as the wire's `List.limit` does). */
export const DEFAULT_LIST_LIMIT = 100;

/** Largest page `list` returns. */
export const MAX_LIST_LIMIT = 10_000;

/** Default bound on how far ahead of the local wall clock a merged HLC may be, in ms. */
export const DEFAULT_MAX_CLOCK_DRIFT_MS = 60 * 60 * 1000;

/**
 * Version of the on-disk format this code writes; a directory with a higher one is refused.
 * 2 added the change log's database: a format 1 store is upgraded in place on open (nothing to
 * convert; its log starts empty), and builds of format 1 then refuse it with StoreVersion
 * rather than take the new database for a foreign one (spec/crdt.md#storage-format).
 */
export const FORMAT_VERSION = 2;

/** Default most entries the change log keeps (spec/crdt.md#subscriptions); 0 = no limit. */
export const DEFAULT_CHANGE_LOG_MAX_ENTRIES = 100_000;

/** Default most bytes (pages) the change log takes; 0 = no limit. */
export const DEFAULT_CHANGE_LOG_MAX_BYTES = 64 * 1024 * 1024;

/** Default age after which a change log entry is pruned, in ms (7 days); 0 = no limit. */
export const DEFAULT_CHANGE_LOG_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
