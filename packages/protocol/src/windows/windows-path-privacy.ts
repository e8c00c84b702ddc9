// Who may read a store on Windows (spec/crdt.md#permissions): the Windows form of the data
// directory's 0700 and its files' 0600. A directory the store creates gets a protected DACL
// (nothing inherited from its parent) granting this user's SID full access, inherited by what
// is created in it; the files LMDB creates get the same without inheritance (Windows applies
// the directory's inheritable ACE itself; Wine, which derives descriptors from Unix modes,
// needs it set). An existing directory or file whose DACL lets anyone else in is refused, or
// tightened with `fixPermissions`. SYSTEM and Administrators may stay: on Windows they can take
// any file anyway, as root can on POSIX.
import { IpcError } from '../errors.ts';
import { ErrorCode } from '../gen/types.ts';
import { type Kernel32Calls, win32 } from './kernel32-calls.ts';
import { windowsError } from './windows-os-error.ts';
import { OWNER_AND_DACL, ownedDescriptorSddl, sddlProblem } from './windows-security.ts';

/** What a checked path is (as the store names it). */
export type StorePathKind = 'data directory' | 'store file';

/** The trustees allowed besides the user: LocalSystem and the Administrators group. */
const SYSTEM_TRUSTEES = ['SY', 'BA'] as const;

/** The DACL the store gives its own directories and files, as SDDL. */
export function privatePathSddl(sid: string, kind: StorePathKind): string {
  return kind === 'data directory' ? `D:P(A;OICI;FA;;;${sid})` : `D:P(A;;FA;;;${sid})`;
}

/** The store's side of the seam: what `openStore`'s `pathPrivacy` option takes. */
export interface WindowsPathPrivacy {
  check(path: string, kind: StorePathKind, fix: boolean): string | undefined;
  make(path: string, kind: StorePathKind): void;
}

/**
 * Keeps a store's paths private to user `sid` with ACLs. Needs the binding's
 * `getNamedSecurityInfo` and `setFileSecurity` (the Node binding has them).
 */
export function windowsPathPrivacy(calls: Kernel32Calls, sid: string): WindowsPathPrivacy {
  const { setFileSecurity } = calls;
  if (calls.getNamedSecurityInfo === undefined || setFileSecurity === undefined) {
    throw new Error('this kernel32 binding cannot read or set file ACLs');
  }
  const make = (path: string, kind: StorePathKind): void => {
    const descriptor = new BigUint64Array(1);
    if (calls.convertStringSecurityDescriptor(privatePathSddl(sid, kind), descriptor) === 0) {
      throw windowsError(
        'ConvertStringSecurityDescriptorToSecurityDescriptorW',
        calls.getLastError(),
        path,
      );
    }
    try {
      const info = win32.DACL_SECURITY_INFORMATION | win32.PROTECTED_DACL_SECURITY_INFORMATION;
      if (setFileSecurity(path, info >>> 0, descriptor[0] as bigint) === 0) {
        throw windowsError('SetFileSecurityW', calls.getLastError(), path);
      }
    } finally {
      calls.localFree(descriptor[0] as bigint);
    }
  };
  return {
    make,
    check(path, kind, fix) {
      const sddl = pathSddl(calls, path);
      if (sddl === undefined) return undefined; // a store file not created yet
      const problem = sddlProblem(sddl, sid, SYSTEM_TRUSTEES);
      if (problem === undefined) return undefined;
      if (problem.startsWith('its owner')) {
        throw new IpcError(
          ErrorCode.PermissionDenied,
          `${kind} ${path} is not this user's (${problem}): the store never uses another user's files, nor changes them`,
        );
      }
      if (!fix) {
        const inherit = kind === 'data directory' ? '(OI)(CI)' : '';
        throw new IpcError(
          ErrorCode.PermissionDenied,
          `${kind} ${path} is not private to this user (${problem}); ` +
            `run icacls "${path}" /inheritance:r /grant:r "%USERNAME%:${inherit}F", ` +
            'or start the server with --fix-permissions (openStore: fixPermissions) to tighten it',
        );
      }
      make(path, kind);
      return `${kind} ${path}: ACL tightened to this user only (was: ${problem})`;
    },
  };
}

/**
 * The owner and DACL of a file or directory as SDDL; undefined when it does not exist. Needs
 * the binding's `getNamedSecurityInfo`.
 */
export function pathSddl(calls: Kernel32Calls, path: string): string | undefined {
  const { getNamedSecurityInfo } = calls;
  if (getNamedSecurityInfo === undefined) {
    throw new Error('this kernel32 binding cannot read file ACLs');
  }
  const descriptor = new BigUint64Array(1);
  const failed = getNamedSecurityInfo(path, win32.SE_FILE_OBJECT, OWNER_AND_DACL, descriptor);
  if (failed === win32.ERROR_FILE_NOT_FOUND || failed === ERROR_PATH_NOT_FOUND) return undefined;
  if (failed !== 0) throw windowsError('GetNamedSecurityInfoW', failed, path);
  return ownedDescriptorSddl(calls, descriptor[0] as bigint, path);
}

/** winerror.h: a directory of the path does not exist. */
const ERROR_PATH_NOT_FOUND = 3;
