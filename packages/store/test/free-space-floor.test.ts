// FreeSpaceFloor: writes are refused, untried, before the file system runs out (a failed page
// write of LMDB's damages lmdb-js's heap; see the floor's file), deletes may go further down,
// and statfs is called only when the last measurement is too old or its room is used up. Free
// space and the clock are injected.
import { ErrorCode } from '@pluresdb-ipc/protocol';
import { describe, expect, it } from 'vitest';
import {
  DELETE_KEEP_FREE_BYTES,
  FreeSpaceFloor,
  growthBound,
  KEEP_FREE_BYTES,
  LOG_ENTRY_OVERHEAD,
  PAGES_PER_CHANGE,
} from '../src/free-space-floor.ts';

const MiB = 1024 * 1024;

function floorWith(free: { bytes: number | undefined }, clock = { ms: 0 }) {
  let reads = 0;
  const floor = new FreeSpaceFloor(
    '/data',
    () => {
      reads++;
      return free.bytes;
    },
    () => clock.ms,
  );
  return { floor, reads: () => reads };
}

describe('FreeSpaceFloor', () => {
  it('admits writes while they leave the floor free, then refuses them untried', () => {
    const free = { bytes: (KEEP_FREE_BYTES + 100_000) as number | undefined };
    const { floor } = floorWith(free);
    expect(floor.admit(60_000, false, 0)).toBeUndefined();
    free.bytes = KEEP_FREE_BYTES + 40_000; // what that write took
    const refusal = floor.admit(60_000, false, 0);
    expect(refusal?.code).toBe(ErrorCode.Internal);
    expect(refusal?.rawMessage).toBe(
      `committing to /data: disk full (${KEEP_FREE_BYTES + 40_000} bytes free; the store keeps ${KEEP_FREE_BYTES} free); not tried until space is freed`,
    );
    // Space freed: admitted again.
    free.bytes = KEEP_FREE_BYTES + MiB;
    expect(floor.admit(60_000, false, 0)).toBeUndefined();
  });

  it('counts what writes not yet committed may add', () => {
    const { floor } = floorWith({ bytes: KEEP_FREE_BYTES + 100_000 });
    expect(floor.admit(60_000, false, 50_000)).toBeDefined();
    expect(floor.admit(60_000, false, 40_000)).toBeUndefined();
  });

  it('lets deletes use the floor down to the smaller one', () => {
    const free = { bytes: (DELETE_KEEP_FREE_BYTES + 50_000) as number | undefined };
    const { floor } = floorWith(free);
    expect(floor.admit(40_000, false, 0)).toBeDefined();
    expect(floor.admit(40_000, true, 0)).toBeUndefined();
    free.bytes = DELETE_KEEP_FREE_BYTES + 30_000;
    expect(floor.admit(40_000, true, 0)?.message).toMatch(
      `keeps ${DELETE_KEEP_FREE_BYTES} free); not tried`,
    );
  });

  it('measures again only when the room is used up or the measurement too old', () => {
    const free = { bytes: (2 * 1024 * MiB) as number | undefined };
    const clock = { ms: 0 };
    const { floor, reads } = floorWith(free, clock);
    for (let n = 0; n < 1000; n++) expect(floor.admit(MiB, false, 0)).toBeUndefined();
    expect(reads()).toBe(1);
    // Another process fills the disk: seen within a second.
    free.bytes = 0;
    clock.ms = 999;
    expect(floor.admit(MiB, false, 0)).toBeUndefined();
    clock.ms = 1000;
    expect(floor.admit(MiB, false, 0)).toBeDefined();
    expect(reads()).toBe(2);
    // Near the floor, every write measures.
    free.bytes = KEEP_FREE_BYTES + 10 * MiB;
    for (let n = 0; n < 3; n++) expect(floor.admit(MiB, false, 0)).toBeUndefined();
    expect(reads()).toBe(5);
  });

  it('lets writes through when the free space cannot be read', () => {
    const { floor } = floorWith({ bytes: undefined });
    expect(floor.admit(10 * MiB, false, 0)).toBeUndefined();
  });

  it('bounds a change by its bytes (twice: the record and its log entry) and a fixed number of pages', () => {
    const changes = [{ bytes: new Uint8Array(5000) }, { bytes: new Uint8Array(10) }];
    expect(growthBound(changes, 4096)).toBe(
      2 * 5010 + 2 * LOG_ENTRY_OVERHEAD + 2 * PAGES_PER_CHANGE * 4096,
    );
  });
});
