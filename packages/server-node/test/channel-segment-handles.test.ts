// Starting on a used channel where names follow handles (Windows:
// spec/transport.md#windows-stale-segments-and-doctor): a name whose server is gone cannot be
// removed, it goes away once its last holder lets go. The server waits for that (bounded)
// instead of "unlinking" it five times in a row and giving up. Logic only, over a fake
// platform; the real objects are exercised under Wine.
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import type { Platform, SharedSegment } from '@pluresdb-ipc/protocol/transport';
import { describe, expect, it } from 'vitest';
import { createChannelSegment } from '../src/channel-segment.ts';

/** A platform whose channel name stays taken (by a dead server's holder) for `heldFor` creates. */
function platform(heldFor: number, namesFollowHandles: boolean) {
  let creates = 0;
  let unlinks = 0;
  const fake = {
    namesFollowHandles,
    userId: () => 0x3e8,
    createSegment(name: string, size: number) {
      creates += 1;
      if (creates <= heldFor) {
        throw new IpcError(
          ErrorCode.Internal,
          `CreateFileMappingW(${name}) failed: ERROR_ALREADY_EXISTS (EEXIST)`,
        );
      }
      return { name, byteLength: size } as SharedSegment;
    },
    // The holder's locator names no instance any more: what a gone server leaves.
    openSegment(name: string): SharedSegment {
      throw new IpcError(ErrorCode.Unavailable, `${name} names no segment`);
    },
    unlinkSegment() {
      unlinks += 1;
    },
  } as unknown as Platform;
  return { fake, counts: () => ({ creates, unlinks }) };
}

describe('a stale name that follows handles', () => {
  it('is waited for until it goes away, not unlinked', async () => {
    const { fake, counts } = platform(8, true);
    const segment = await createChannelSegment(fake, 'default', 4096);
    expect(segment.byteLength).toBe(4096);
    expect(counts()).toEqual({ creates: 9, unlinks: 0 });
  });

  it('fails with Unavailable once it outlasts the wait', async () => {
    const { fake } = platform(Number.POSITIVE_INFINITY, true);
    const failure = await createChannelSegment(fake, 'default', 4096).catch((error) => error);
    expect(IpcError.is(failure) && failure.code).toBe(ErrorCode.Unavailable);
    expect((failure as IpcError).message).toMatch(/still held by another process/);
  }, 10_000);

  it('is still unlinked where names are removed (POSIX)', async () => {
    const { fake, counts } = platform(2, false);
    await createChannelSegment(fake, 'default', 4096);
    expect(counts()).toEqual({ creates: 3, unlinks: 2 });
  });
});
