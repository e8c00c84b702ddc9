// How the store keeps its directory and files private to the user (spec/crdt.md#permissions):
// POSIX modes by default (data-dir-permissions.ts, make-directories.ts); another system's form
// (Windows ACLs: @pluresdb-ipc/protocol's windowsPathPrivacy) is passed in by the caller,
// since the calls it needs come with a runtime binding the store does not load itself.
import type { PrivateKind } from './data-dir-permissions.ts';

/** What `openStore`'s `pathPrivacy` option takes. */
export interface PathPrivacy {
  /**
   * Checks that `path` is this user's and private (a missing store file is fine); with `fix`,
   * tightens the user's own and returns a line saying so. Throws `PermissionDenied` otherwise.
   */
  check(path: string, kind: PrivateKind, fix: boolean): string | undefined;
  /** Makes a directory or file the store just created private to this user. */
  make(path: string, kind: PrivateKind): void;
}
