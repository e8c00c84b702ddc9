// The writes the commit queue leaves to lmdb-js's batches (spec/crdt.md#durability): lmdb-js
// hands every write of one transaction the same promise, so they are settled as a group, with
// one callback per transaction rather than one per write.

/** How a batch ended for its writes. */
export type BatchOutcome = 'committed' | 'failed';

/**
 * Marks the writes at positions [start, end) of the queue's issued list (counted from the
 * queue's creation) finished.
 */
export type SettleWrites = (
  start: number,
  end: number,
  state: BatchOutcome,
  error: unknown,
) => void;

// The writes that share one lmdb-js transaction promise: positions [start, end) of the
// issued list, counted from the queue's creation.
interface Group {
  readonly promise: Promise<boolean>;
  readonly start: number;
  end: number;
}

/** Groups batched writes by their lmdb-js transaction, and settles each group when it ends. */
export class BatchGroups {
  readonly #settle: SettleWrites;
  #group: Group | undefined;

  constructor(settle: SettleWrites) {
    this.#settle = settle;
  }

  /** The write at position `end - 1` was issued; `last` is its lmdb-js promise. */
  add(last: Promise<boolean>, end: number): void {
    const group = this.#group;
    if (group !== undefined && group.promise === last) {
      group.end = end;
    } else {
      const fresh: Group = { promise: last, start: end - 1, end };
      this.#group = fresh;
      const settle = (state: BatchOutcome, error: unknown): void => {
        if (this.#group === fresh) this.#group = undefined;
        this.#settle(fresh.start, fresh.end, state, error);
      };
      fresh.promise.then(
        () => settle('committed', undefined),
        (error: unknown) => {
          // lmdb-js rejects the writes of a failed batch with a generic error whose
          // `commitError` promise is rejected with the cause right after. Left unhandled, that
          // rejection ended the process (measured: a server in 'fsync' mode on a full disk).
          const cause = commitErrorOf(error);
          if (cause === undefined) settle('failed', error);
          else
            cause.then(
              () => settle('failed', error),
              (reason: unknown) => settle('failed', reason),
            );
        },
      );
    }
  }
}

/** The promise lmdb-js attaches to a failed batch's errors, holding the cause, if any. */
function commitErrorOf(error: unknown): Promise<unknown> | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const cause: unknown = Reflect.get(error, 'commitError');
  return cause instanceof Promise ? cause : undefined;
}
