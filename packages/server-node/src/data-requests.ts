// The requests that take data out of the store (spec/crdt.md#export-format, #backup): a List
// with `with_records` (records with their CRDT metadata, tombstones when asked) and Backup.
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import type { Backup, List, ResponseBody } from '@pluresdb-ipc/protocol/messages';
import type { Store } from '@pluresdb-ipc/store';

/** Answers a `List` with `with_records`: one page of `ListResult.records`. */
export function recordsAnswer(store: Store, list: List): ResponseBody {
  if (list.reverse === true) {
    throw new IpcError(ErrorCode.InvalidArgument, 'with_records walks forwards only (no reverse)');
  }
  const page = store.listRecords({
    ...(list.prefix === undefined ? {} : { prefix: list.prefix }),
    ...(list.after === undefined ? {} : { after: list.after }),
    ...(list.start === undefined ? {} : { start: list.start }),
    ...(list.end === undefined ? {} : { end: list.end }),
    limit: list.limit,
    includeDeleted: list.includeDeleted === true,
  });
  return { type: 'ListResult', value: { records: page.records, nextAfter: page.next } };
}

/** Answers a `Backup` once the copy is written. */
export async function backupAnswer(store: Store, backup: Backup): Promise<ResponseBody> {
  const info = await store.backup(backup.path);
  return { type: 'BackupResult', value: { path: info.path, bytes: BigInt(info.bytes) } };
}
