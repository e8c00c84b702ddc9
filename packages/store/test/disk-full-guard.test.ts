// DiskFullGuard: after a commit fails on a nearly full disk, commits are refused untried
// until space is freed (lmdb-js corrupts its heap after repeated failed commits; see the
// guard's file), and tried again once it is. Free space is injected.
import { ErrorCode } from '@pluresdb-ipc/protocol';
import { describe, expect, it } from 'vitest';
import { DiskFullGuard, RETRY_AFTER_FREED_BYTES } from '../src/disk-full-guard.ts';
import { NEARLY_FULL_BYTES } from '../src/store-errors.ts';

function guardWith(free: { bytes: number | undefined }): {
  guard: DiskFullGuard;
  reads: () => number;
} {
  let reads = 0;
  const guard = new DiskFullGuard('/data/file', () => {
    reads++;
    return free.bytes;
  });
  return { guard, reads: () => reads };
}

describe('DiskFullGuard', () => {
  it('lets every commit through, without a statfs, while nothing failed', () => {
    const { guard, reads } = guardWith({ bytes: 0 });
    for (let n = 0; n < 5; n++) expect(guard.refusal()).toBeUndefined();
    expect(reads()).toBe(0);
  });

  it('refuses commits after a failure on a nearly full disk, until space is freed', () => {
    const free = { bytes: 4096 as number | undefined };
    const { guard } = guardWith(free);
    guard.failed();
    const refusal = guard.refusal();
    expect(refusal?.code).toBe(ErrorCode.Internal);
    expect(refusal?.message).toMatch(
      /disk full \(4096 bytes free\); not tried until space is freed/,
    );
    // A little more room is not enough: the commit that failed needed more than that.
    free.bytes = 4096 + RETRY_AFTER_FREED_BYTES - 1;
    expect(guard.refusal()).toBeDefined();
    free.bytes = 4096 + RETRY_AFTER_FREED_BYTES;
    expect(guard.refusal()).toBeUndefined();
    // Tried once: no longer blocked, even if the disk fills again before the next failure.
    free.bytes = 0;
    expect(guard.refusal()).toBeUndefined();
  });

  it('does not block after a failure with room left, or when the free space is unknown', () => {
    const free = { bytes: NEARLY_FULL_BYTES as number | undefined };
    const { guard } = guardWith(free);
    guard.failed();
    expect(guard.refusal()).toBeUndefined();
    free.bytes = undefined;
    guard.failed();
    expect(guard.refusal()).toBeUndefined();
  });
});
