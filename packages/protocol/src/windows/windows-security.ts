// Who may open a segment or a doorbell on Windows (spec/transport.md#windows): the Windows form
// of mode 0600. Every object is created with a security descriptor that names this user as
// owner and grants this user's SID, and nobody else, all access; an opener reads the object's
// descriptor back and refuses it unless it says the same, as the POSIX client does with fstat.
import { IpcError } from '../errors.ts';
import { ErrorCode } from '../gen/types.ts';
import { fnv1a64 } from '../transport/segment-name.ts';
import { encodeUtf8 } from '../wire/utf8.ts';
import { type Kernel32Calls, readWideString, win32 } from './kernel32-calls.ts';
import { windowsError } from './windows-os-error.ts';

/**
 * The SDDL of every object the transport creates: owner `sid`, a protected DACL (nothing
 * inherited) with one ACE allowing `sid` generic all.
 */
export function privateSddl(sid: string): string {
  return `O:${sid}D:P(A;;GA;;;${sid})`;
}

/**
 * The part of {@link Platform.userId} Windows has instead of an euid: the low 32 bits of
 * FNV-1a 64 over the SID string's UTF-8 (spec/transport.md#segment-names).
 */
export function windowsUserId(sid: string): number {
  return Number(fnv1a64(encodeUtf8(sid)) & 0xffffffffn);
}

/**
 * Why an object's descriptor (as SDDL, owner and DACL parts) does not make it private to
 * `sid`, or undefined when it does: the owner must be `sid`, the DACL present, and every
 * allow ACE must name `sid` or one of `alsoAllowed` (deny ACEs take rights away and are
 * harmless; inherit-only ACEs apply to children only, which are checked themselves).
 */
export function sddlProblem(
  sddl: string,
  sid: string,
  alsoAllowed: readonly string[] = [],
): string | undefined {
  const owner = /O:([^:()]+?)(?=[GDS]:|$)/.exec(sddl)?.[1];
  if (owner !== sid) return `its owner is ${owner ?? 'unknown'}, not ${sid}`;
  const dacl = /D:([^:]*?)(?=S:|$)/.exec(sddl)?.[1];
  if (dacl === undefined || dacl.startsWith('NO_ACCESS_CONTROL')) {
    return 'it has no DACL: everyone may open it';
  }
  for (const ace of dacl.match(/\([^)]*\)/g) ?? []) {
    const fields = ace.slice(1, -1).split(';');
    const type = fields[0];
    const trustee = fields[5];
    if (type === 'D' || type === 'OD') continue;
    if (fields[1]?.includes('IO')) continue;
    if (trustee !== sid && !alsoAllowed.includes(trustee ?? ''))
      return `its DACL grants ${trustee ?? '?'} access (${ace})`;
  }
  return undefined;
}

/** The current user's SID as a string (`S-1-5-21-…`), from the process token. */
export function currentUserSid(calls: Kernel32Calls): string {
  const token = new BigUint64Array(1);
  if (calls.openProcessToken(calls.getCurrentProcess(), win32.TOKEN_QUERY, token) === 0) {
    throw windowsError('OpenProcessToken', calls.getLastError(), 'this process');
  }
  const handle = token[0] as bigint;
  try {
    // TOKEN_USER: SID_AND_ATTRIBUTES { PSID Sid; DWORD Attributes }, the SID after it in the
    // same buffer. 256 bytes holds any SID (at most 68 bytes).
    const buffer = new Uint8Array(256);
    const returned = new Uint32Array(1);
    if (calls.getTokenInformation(handle, win32.TokenUser, buffer, returned) === 0) {
      throw windowsError('GetTokenInformation', calls.getLastError(), 'TokenUser');
    }
    const sid = new DataView(buffer.buffer).getBigUint64(0, true);
    const text = new BigUint64Array(1);
    if (calls.convertSidToStringSid(sid, text) === 0) {
      throw windowsError('ConvertSidToStringSidW', calls.getLastError(), 'the token user');
    }
    try {
      return readWideString(calls, text[0] as bigint);
    } finally {
      calls.localFree(text[0] as bigint);
    }
  } finally {
    calls.closeHandle(handle);
  }
}

/**
 * A SECURITY_ATTRIBUTES (x64: `{ DWORD nLength; LPVOID lpSecurityDescriptor; BOOL
 * bInheritHandle }`, 24 bytes) over {@link privateSddl}. The descriptor is never freed: one is
 * made per process and objects are created with it for the process's lifetime.
 */
export function privateAttributes(calls: Kernel32Calls, sid: string): Uint8Array {
  const out = new BigUint64Array(1);
  if (calls.convertStringSecurityDescriptor(privateSddl(sid), out) === 0) {
    throw windowsError(
      'ConvertStringSecurityDescriptorToSecurityDescriptorW',
      calls.getLastError(),
      sid,
    );
  }
  const attributes = new Uint8Array(24);
  const view = new DataView(attributes.buffer);
  view.setUint32(0, 24, true);
  view.setBigUint64(8, out[0] as bigint, true);
  view.setUint32(16, 0, true);
  return attributes;
}

/** The owner and DACL of a kernel object, as SDDL. */
export function objectSddl(calls: Kernel32Calls, handle: bigint, name: string): string {
  const descriptor = new BigUint64Array(1);
  const failed = calls.getSecurityInfo(handle, win32.SE_KERNEL_OBJECT, OWNER_AND_DACL, descriptor);
  if (failed !== 0) throw windowsError('GetSecurityInfo', failed, name);
  return ownedDescriptorSddl(calls, descriptor[0] as bigint, name);
}

/** What the SDDL of a descriptor shows: its owner and DACL. */
export const OWNER_AND_DACL = win32.OWNER_SECURITY_INFORMATION | win32.DACL_SECURITY_INFORMATION;

/**
 * The owner and DACL of a security descriptor the system allocated, as SDDL; frees the
 * descriptor (LocalFree) whatever happens. `name` names the object in errors.
 */
export function ownedDescriptorSddl(
  calls: Kernel32Calls,
  descriptor: bigint,
  name: string,
): string {
  try {
    const text = new BigUint64Array(1);
    if (calls.convertSecurityDescriptorToString(descriptor, OWNER_AND_DACL, text) === 0) {
      throw windowsError(
        'ConvertSecurityDescriptorToStringSecurityDescriptorW',
        calls.getLastError(),
        name,
      );
    }
    try {
      return readWideString(calls, text[0] as bigint);
    } finally {
      calls.localFree(text[0] as bigint);
    }
  } finally {
    calls.localFree(descriptor);
  }
}

/**
 * Throws `PermissionDenied` unless the object open as `handle` is owned by `sid` and grants
 * nobody else access (the check of spec/transport.md#windows, before anything is trusted).
 */
export function checkPrivateObject(
  calls: Kernel32Calls,
  handle: bigint,
  name: string,
  sid: string,
): void {
  const sddl = objectSddl(calls, handle, name);
  const problem = sddlProblem(sddl, sid);
  if (problem === undefined) return;
  throw new IpcError(
    ErrorCode.PermissionDenied,
    `${name} is not private to this user (${problem}): refusing to use it (another user may have created it; see docs/operations.md)`,
  );
}
