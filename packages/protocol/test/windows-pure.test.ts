// The pure parts of the Windows platform layer (spec/transport.md#windows), checked on Linux:
// names, the user id, the security descriptor and its check, error mapping, the locator. The
// Win32 behaviour itself is tested under Wine (tools/windows-lane), not here.
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../src/gen/types.ts';
import {
  doorbellEventName,
  instanceName,
  isInstanceTag,
  LOCATOR_MAGIC,
  locatorName,
  newInstanceTag,
  parseLocator,
  privatePathSddl,
  privateSddl,
  sddlProblem,
  segmentName,
  windowsError,
  windowsErrorCode,
  windowsUserId,
} from '../src/transport.ts';

const sid = 'S-1-5-21-1004336348-1177238915-682003330-1001';

describe('Windows names', () => {
  it('derives the locator, instance and doorbell names from the segment name', () => {
    const segment = segmentName(0x3e8, 'default');
    expect(locatorName(segment)).toBe('Local\\pdbi-3e8-ebada5168620c5fe');
    const instance = instanceName(locatorName(segment), '1a-1-18f');
    expect(instance).toBe('Local\\pdbi-3e8-ebada5168620c5fe-i1a-1-18f');
    expect(doorbellEventName(instance, 128)).toBe(`${instance}-w128`);
  });

  it('makes a new, well-formed instance tag each time', () => {
    const a = newInstanceTag(0x1234, 1_700_000_000_000);
    const b = newInstanceTag(0x1234, 1_700_000_000_000);
    expect(a).not.toBe(b);
    expect(a.startsWith('1234-')).toBe(true);
    expect(isInstanceTag(a) && isInstanceTag(b)).toBe(true);
    expect(isInstanceTag('')).toBe(false);
    expect(isInstanceTag('..\\Global')).toBe(false);
    expect(isInstanceTag('a'.repeat(65))).toBe(false);
  });

  it('hashes the SID string into a 32-bit user id (low half of FNV-1a 64)', () => {
    // FNV-1a 64 of "a" is af63dc4c8601ec8c (spec/transport.md#segment-names).
    expect(windowsUserId('a')).toBe(0x8601ec8c);
    expect(windowsUserId(sid)).toBe(windowsUserId(sid));
    expect(windowsUserId(sid)).not.toBe(windowsUserId(`${sid}0`));
    expect(windowsUserId(sid) >>> 0).toBe(windowsUserId(sid));
  });
});

describe('Windows security descriptors', () => {
  it('grants the owner SID alone', () => {
    expect(privateSddl(sid)).toBe(`O:${sid}D:P(A;;GA;;;${sid})`);
    expect(sddlProblem(privateSddl(sid), sid)).toBeUndefined();
  });

  it('accepts the descriptor as Windows returns it (rights spelled out, deny ACEs)', () => {
    expect(sddlProblem(`O:${sid}G:${sid}D:P(A;;0xf001f;;;${sid})`, sid)).toBeUndefined();
    expect(sddlProblem(`O:${sid}D:P(D;;GA;;;WD)(A;;GA;;;${sid})`, sid)).toBeUndefined();
  });

  it('refuses another owner, a missing DACL, or access for anyone else', () => {
    const other = 'S-1-5-21-1-2-3-1002';
    expect(sddlProblem(`O:${other}D:P(A;;GA;;;${other})`, sid)).toMatch(
      /owner is S-1-5-21-1-2-3-1002/,
    );
    expect(sddlProblem(`O:BAD:P(A;;GA;;;${sid})`, sid)).toMatch(/owner is BA/);
    expect(sddlProblem(`O:${sid}D:NO_ACCESS_CONTROL`, sid)).toMatch(/no DACL/);
    expect(sddlProblem(`O:${sid}`, sid)).toMatch(/no DACL/);
    expect(sddlProblem(`O:${sid}D:(A;;GA;;;${sid})(A;;GR;;;WD)`, sid)).toMatch(/grants WD/);
    expect(sddlProblem(`O:${sid}D:(A;;GA;;;${sid})(A;;GA;;;${other})`, sid)).toMatch(/grants S-1/);
  });
});

describe('Windows store paths', () => {
  it('gives the store a protected DACL for the user alone, inherited by what it holds', () => {
    expect(privatePathSddl(sid, 'data directory')).toBe(`D:P(A;OICI;FA;;;${sid})`);
    expect(privatePathSddl(sid, 'store file')).toBe(`D:P(A;;FA;;;${sid})`);
  });

  it('lets SYSTEM and Administrators in when asked, and skips inherit-only ACEs', () => {
    // As Wine reports a directory the store made private (derived from its mode).
    const wine = `O:${sid}D:(A;OICI;FA;;;SY)(A;OICI;FA;;;${sid})`;
    expect(sddlProblem(wine, sid, ['SY', 'BA'])).toBeUndefined();
    expect(sddlProblem(wine, sid)).toMatch(/grants SY/);
    expect(sddlProblem(`O:${sid}D:P(A;OICI;FA;;;${sid})(A;OICIIO;GA;;;CO)`, sid)).toBeUndefined();
    // Everyone may read: what Wine shows for a directory of mode 0755.
    const shared = `O:${sid}D:(A;OICI;FA;;;SY)(A;OICI;FA;;;${sid})(A;OICI;0x1200a9;;;WD)`;
    expect(sddlProblem(shared, sid, ['SY', 'BA'])).toMatch(/grants WD/);
  });
});

describe('Windows errors', () => {
  it('maps GetLastError values to protocol codes in one place', () => {
    expect(windowsErrorCode(2)).toBe(ErrorCode.Unavailable);
    expect(windowsErrorCode(5)).toBe(ErrorCode.PermissionDenied);
    expect(windowsErrorCode(1455)).toBe(ErrorCode.TooLarge);
    expect(windowsErrorCode(8)).toBe(ErrorCode.TooLarge);
    expect(windowsErrorCode(6)).toBe(ErrorCode.Internal);
  });

  it('names the call, the error and the object, and calls an existing name EEXIST', () => {
    const error = windowsError('CreateFileMappingW', 183, 'Local\\pdbi-3e8-x');
    expect(error.code).toBe(ErrorCode.Internal);
    expect(error.message).toMatch(
      /CreateFileMappingW\(Local\\pdbi-3e8-x\) failed: ERROR_ALREADY_EXISTS \(EEXIST\)/,
    );
    expect(windowsError('OpenFileMappingW', 4242, 'x').message).toMatch(/error 4242/);
  });
});

describe('Windows locator', () => {
  function locator(magic: number, tag: string, length = tag.length): Uint8Array {
    const bytes = new Uint8Array(72);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, magic, true);
    view.setUint32(4, length, true);
    for (let i = 0; i < tag.length; i++) bytes[8 + i] = tag.charCodeAt(i);
    return bytes;
  }

  it('reads the instance tag a server wrote', () => {
    expect(parseLocator(locator(LOCATOR_MAGIC, '20-1-18f'))).toBe('20-1-18f');
  });

  it('names nothing while unwritten, or when hostile', () => {
    expect(parseLocator(new Uint8Array(72))).toBeUndefined();
    expect(parseLocator(locator(LOCATOR_MAGIC, '20-1', 0))).toBeUndefined();
    expect(parseLocator(locator(LOCATOR_MAGIC, '20-1', 1_000_000))).toBeUndefined();
    expect(parseLocator(locator(LOCATOR_MAGIC, '..\\..\\x'))).toBeUndefined();
    expect(parseLocator(locator(0x12345678, '20-1'))).toBeUndefined();
    expect(parseLocator(new Uint8Array(4))).toBeUndefined();
  });
});
