// Taking records out of a server and putting them into one (spec/crdt.md#export-format):
// export pages through `List` with `with_records`, import merges each record (import = merge)
// with a bounded number of merges in flight, so neither holds more than a page or a window of
// records in memory, whatever the store's size.
import { ErrorCode, IpcError } from '../errors.ts';
import type { List, ListResult, Record as WireRecord } from '../gen/types.ts';
import type { WriteOutcome } from './client-api.ts';

/** Arguments of {@link PluresClient.exportRecords}. */
export interface ExportQuery {
  /** Only keys starting with this; default every key. */
  readonly prefix?: string;
  /** Include deleted records (tombstones), so deletes travel too; default true. */
  readonly includeDeleted?: boolean;
  /** Records asked for per page; default 500 (halved on `TooLarge`, down to 1). */
  readonly pageSize?: number;
}

/** Options of {@link PluresClient.importRecords}. */
export interface ImportOptions {
  /** Most merges in flight at once; default 64. */
  readonly maxInFlight?: number;
  /**
   * Hears each record that failed: `index` is its position in the source (0-based), `record`
   * is undefined when the source gave an Error in its place.
   */
  readonly onFailure?: (failure: ImportFailure) => void;
  /** Hears the running totals after each settled record. */
  readonly onProgress?: (summary: ImportSummary) => void;
}

/** A record that did not import. */
export interface ImportFailure {
  readonly index: number;
  readonly record: WireRecord | undefined;
  readonly error: IpcError;
}

/** What {@link PluresClient.importRecords} did. */
export interface ImportSummary {
  /** Items read from the source (records and errors). */
  read: number;
  /** Records whose merge changed the store. */
  merged: number;
  /** Records the store already held (or newer): the merge changed nothing. */
  unchanged: number;
  /** Items that failed: an Error from the source, or a merge refused for its record. */
  failed: number;
}

const DEFAULT_PAGE_SIZE = 500;
const DEFAULT_MAX_IN_FLIGHT = 64;

/** Records of every page of `List` with `with_records`, in key order. */
export async function* exportPages(
  list: (body: List) => Promise<ListResult>,
  query: ExportQuery,
): AsyncGenerator<WireRecord> {
  const prefix = query.prefix ?? '';
  const includeDeleted = query.includeDeleted ?? true;
  let limit = query.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw new IpcError(ErrorCode.InvalidArgument, 'pageSize must be an integer from 1 to 10,000');
  }
  let after: string | undefined;
  for (;;) {
    let page: ListResult;
    try {
      page = await list({ prefix, after, limit, withRecords: true, includeDeleted });
    } catch (error) {
      // A page too big for one frame (large records): ask for fewer.
      if (IpcError.is(error) && error.code === ErrorCode.TooLarge && limit > 1) {
        limit = Math.max(1, Math.floor(limit / 2));
        continue;
      }
      throw error;
    }
    yield* page.records ?? [];
    if (page.nextAfter === undefined) return;
    after = page.nextAfter;
  }
}

// Failures of one record, which the import counts and goes on after; any other failure (the
// server gone, a timeout) ends the import.
const recordFailures = new Set<number>([ErrorCode.InvalidArgument, ErrorCode.TooLarge]);

/**
 * Merges every record of `source` through `merge`, at most `maxInFlight` at once; an `Error`
 * in the source counts as a failed item. Resolves with the totals; rejects (after the merges in
 * flight settle) on a failure that is not one record's.
 */
export async function importAll(
  merge: (record: WireRecord) => Promise<WriteOutcome>,
  source: AsyncIterable<WireRecord | Error> | Iterable<WireRecord | Error>,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1) {
    throw new IpcError(ErrorCode.InvalidArgument, 'maxInFlight must be a positive integer');
  }
  const summary: ImportSummary = { read: 0, merged: 0, unchanged: 0, failed: 0 };
  const inFlight = new Set<Promise<void>>();
  let fatal: unknown;
  const fail = (index: number, record: WireRecord | undefined, error: IpcError): void => {
    summary.failed++;
    options.onFailure?.({ index, record, error });
  };
  const start = (record: WireRecord, index: number): void => {
    const settled = merge(record).then(
      (outcome) => {
        if (outcome.count > 0) summary.merged++;
        else summary.unchanged++;
      },
      (error: unknown) => {
        const failure = IpcError.from(error, ErrorCode.Internal);
        if (recordFailures.has(failure.code)) fail(index, record, failure);
        else fatal ??= failure;
      },
    );
    const tracked = settled.then(() => {
      inFlight.delete(tracked);
      options.onProgress?.(summary);
    });
    inFlight.add(tracked);
  };
  let index = 0;
  for await (const item of source) {
    if (fatal !== undefined) break;
    summary.read++;
    if (item instanceof Error) {
      fail(index, undefined, IpcError.from(item, ErrorCode.InvalidArgument));
      options.onProgress?.(summary);
    } else {
      start(item, index);
      while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    }
    index++;
  }
  await Promise.all(inFlight);
  if (fatal !== undefined) throw fatal;
  return summary;
}
