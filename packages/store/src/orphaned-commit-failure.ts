// lmdb-js leaves one promise of a failed batched commit without a handler: the one of the
// "batch start" instruction it issues itself when it opens an event turn's batch
// (`writeBatchStart` in lmdb/write.js, whose promise nobody receives). Its rejection ("Commit
// failed (see commitError for details)") also reaches every write of that commit, which the
// store reports to its callers; the orphan, unhandled, ends a Node process. Measured: a server
// in 'fsync' mode (every commit batched) exited 1 at its first failed commit on a full 20 MiB
// tmpfs. A store in 'process' mode batches too when it is embedded without commitTogether.

/** True for lmdb-js's error of a failed batched commit (the cause is its `commitError`). */
export function isLmdbCommitFailure(reason: unknown): boolean {
  return reason instanceof Error && Reflect.get(reason, 'commitError') instanceof Promise;
}

/**
 * Keeps this process alive through those orphaned rejections: an `unhandledRejection`
 * listener that ignores lmdb-js's failed-commit errors (the writes they failed were rejected
 * too, and report it) and throws anything else, which ends the process as Node's default
 * does. For a process that owns its event loop, as the server's CLI does; an application
 * embedding the store decides for itself (a listener changes what every unhandled rejection
 * does). Idempotent.
 */
export function surviveOrphanedCommitFailures(): void {
  if (installed) return;
  installed = true;
  process.on('unhandledRejection', (reason) => {
    if (isLmdbCommitFailure(reason)) return;
    throw reason;
  });
}

let installed = false;
