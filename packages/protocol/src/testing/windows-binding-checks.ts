// Checks one runtime's kernel32 binding through the shared Windows layer, on Windows (or under
// Wine), in whatever runtime runs this (Node, Bun): segments, their ownership check against
// planted objects, hostile locators, doorbell events, the process's one waiter, identities.
// Each runtime package's Windows fixture prints what this returns: the failures, empty when
// all pass (spec/transport.md#windows).
import { ErrorCode, IpcError } from '../index.ts';
import {
  currentUserSid,
  type Kernel32Calls,
  LOCATOR_MAGIC,
  locatorName,
  type Platform,
  privateSddl,
  segmentName,
  win32,
} from '../transport.ts';

// The package declares no host globals; these checks run in Node or Bun, which have them.
declare function setTimeout(callback: (value?: unknown) => void, ms: number): unknown;
declare const performance: { now(): number };

/** Runs the checks on channels named `${prefix}-*` (nothing is left behind). */
export async function checkWindowsBinding(
  calls: Kernel32Calls,
  platform: Platform,
  prefix: string,
): Promise<string[]> {
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) failures.push(what);
  };
  const outcome = (run: () => unknown): string => {
    try {
      run();
      return 'no error';
    } catch (error) {
      return IpcError.is(error) ? `${error.code} ${error.message}` : String(error);
    }
  };
  const uid = platform.userId();
  const name = segmentName(uid, `${prefix}-a`);

  // Segments: create, open, share bytes, a second create is EEXIST, a missing one Unavailable.
  const created = platform.createSegment(name, 70_000);
  const opened = platform.openSegment(name);
  check(opened.byteLength >= 70_000 && opened.byteLength % 4096 === 0, 'open maps whole pages');
  new Uint8Array(created.buffer, created.byteOffset)[100] = 42;
  check(new Uint8Array(opened.buffer, opened.byteOffset)[100] === 42, 'two views share bytes');
  const second = outcome(() => platform.createSegment(name, 4096));
  check(
    second.startsWith(`${ErrorCode.Internal} `) && /EEXIST/.test(second),
    `a second creation fails with EEXIST (got ${second})`,
  );
  const missing = outcome(() => platform.openSegment(segmentName(uid, `${prefix}-missing`)));
  check(
    missing.startsWith(`${ErrorCode.Unavailable} `),
    `a missing segment is Unavailable (got ${missing})`,
  );

  // Doorbells: a wake before the wait is kept; timeouts; the one waiter; the server's own wait.
  const a = new Int32Array(created.buffer, created.byteOffset, 256);
  const b = new Int32Array(opened.buffer, opened.byteOffset, 256);
  created.futex.wake(a, 8);
  check(opened.futex.wait(b, 8, 0, 1000) === 'woken', 'a wake before the wait is not lost');
  let started = performance.now();
  const slept = opened.futex.wait(b, 8, 0, 50);
  const took = performance.now() - started;
  check(slept === 'timed-out' && took >= 45, `a 50 ms wait times out (${slept}, ${took} ms)`);
  check(opened.futex.wait(b, 9, 1, 50) === 'not-equal', 'a moved word is not-equal at once');
  started = performance.now();
  const woken = opened.futex.waitAsync(b, 10, 0, 5000);
  setTimeout(() => {
    Atomics.add(a, 10, 1);
    created.futex.wake(a, 10);
  }, 30);
  check((await woken) === 'woken', 'waitAsync is woken by the peer');
  const many = Array.from({ length: 70 }, (_, i) =>
    opened.futex.waitAsync(b, 128 + (i % 40), 0, 200),
  );
  const results = await Promise.all(many);
  check(
    results.every((result) => result === 'timed-out'),
    `70 sleepers on one waiter time out (${[...new Set(results)].join(',')})`,
  );
  const alone = opened.futex.waitAsyncAlone?.(b, 60, 0, 5000);
  setTimeout(() => {
    Atomics.add(a, 60, 1);
    created.futex.wake(a, 60);
  }, 30);
  check((await alone) === 'woken', 'waitAsyncAlone is woken by the peer');
  opened.unmap();
  created.unmap();
  const gone = outcome(() => platform.openSegment(name));
  check(
    gone.startsWith(`${ErrorCode.Unavailable} `),
    `a segment whose holders all unmapped is gone (got ${gone})`,
  );

  // Ownership: a locator planted with a descriptor that grants everyone is refused.
  const planted = segmentName(uid, `${prefix}-planted`);
  const everyone = new BigUint64Array(1);
  const sid = currentUserSid(calls);
  calls.convertStringSecurityDescriptor(`O:${sid}D:(A;;GA;;;WD)`, everyone);
  const open = securityAttributes(everyone[0] as bigint);
  const protect = win32.PAGE_READWRITE | win32.SEC_COMMIT;
  const foreign = calls.createFileMapping(open, protect, 0, 4096, locatorName(planted));
  const noDescriptor = calls.createFileMapping(
    null,
    protect,
    0,
    4096,
    locatorName(segmentName(uid, `${prefix}-bare`)),
  );
  try {
    const refused = outcome(() => platform.openSegment(planted));
    check(
      refused.startsWith(`${ErrorCode.PermissionDenied} `) && /grants WD/.test(refused),
      `a locator that grants everyone is PermissionDenied (got ${refused})`,
    );
    const bare = outcome(() => platform.openSegment(segmentName(uid, `${prefix}-bare`)));
    check(
      bare.startsWith(`${ErrorCode.PermissionDenied} `),
      `a locator made with the default descriptor is PermissionDenied (got ${bare})`,
    );
  } finally {
    calls.closeHandle(foreign);
    calls.closeHandle(noDescriptor);
  }

  // Hostile locators of this user: no magic, a missing instance, a tag that is no tag.
  const hostile = segmentName(uid, `${prefix}-hostile`);
  const mine = new BigUint64Array(1);
  calls.convertStringSecurityDescriptor(privateSddl(sid), mine);
  const handle = calls.createFileMapping(
    securityAttributes(mine[0] as bigint),
    protect,
    0,
    4096,
    locatorName(hostile),
  );
  const address = calls.mapViewOfFile(handle, win32.FILE_MAP_ALL_ACCESS, 4096);
  try {
    const words = new Uint32Array(calls.view(address, 4096));
    const bytes = new Uint8Array(words.buffer);
    const cases: [string, () => void][] = [
      ['no magic', () => {}],
      [
        'a missing instance',
        () => {
          bytes.set(
            [...'ab-cd'].map((c) => c.charCodeAt(0)),
            8,
          );
          words[1] = 5;
          words[0] = LOCATOR_MAGIC;
        },
      ],
      [
        'a path in the tag',
        () => {
          bytes.set(
            [...'..\\..\\Global'].map((c) => c.charCodeAt(0)),
            8,
          );
          words[1] = 12;
        },
      ],
      ['a huge tag length', () => (words[1] = 0xffffffff)],
    ];
    for (const [what, plant] of cases) {
      plant();
      const result = outcome(() => platform.openSegment(hostile));
      check(
        result.startsWith(`${ErrorCode.Unavailable} `),
        `a locator with ${what} is Unavailable (got ${result})`,
      );
    }
  } finally {
    calls.unmapViewOfFile(address);
    calls.closeHandle(handle);
  }

  // Identities: this process is alive; a wrong start time or pid is not.
  const self = platform.self();
  check(self.pid > 0 && self.start > 0n, 'self has a pid and a creation time');
  check(platform.isAlive(self), 'this process is alive');
  check(!platform.isAlive({ pid: self.pid, start: self.start + 1n }), 'another start is not alive');
  check(platform.pidExists(self.pid), 'this pid exists');
  check(!platform.isAlive({ pid: 0, start: 0n }), 'pid 0 is never alive');
  return failures;
}

/** A SECURITY_ATTRIBUTES over `descriptor` (x64 layout, spec/transport.md#windows-segments). */
function securityAttributes(descriptor: bigint): Uint8Array {
  const attributes = new Uint8Array(24);
  const view = new DataView(attributes.buffer);
  view.setUint32(0, 24, true);
  view.setBigUint64(8, descriptor, true);
  return attributes;
}
