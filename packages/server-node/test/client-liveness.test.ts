// The server's client liveness checks (spec/transport.md#liveness) go through the Platform it
// was given: the cheap pid check on most rounds, the full identity on every fourth, one verdict
// per process per round; Closed slots and claims left without an identity for 2 s are freed.
import {
  ControlView,
  type Platform,
  type ProcessIdentity,
  SlotState,
} from '@pluresdb-ipc/protocol/transport';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { channelLayout } from '../src/channel-layout.ts';
import { ClientLiveness } from '../src/client-liveness.ts';

afterEach(() => {
  vi.useRealTimers();
});

function setup(running: ReadonlySet<number>) {
  const layout = channelLayout({ maxClients: 4, ringBytes: 4096 });
  const control = new ControlView(new ArrayBuffer(layout.segmentBytes));
  const cheap: number[] = [];
  const full: number[] = [];
  const platform = {
    pidExists(pid: number) {
      cheap.push(pid);
      return running.has(pid);
    },
    isAlive(identity: ProcessIdentity) {
      full.push(identity.pid);
      return running.has(identity.pid);
    },
  } as unknown as Platform;
  const freed: number[] = [];
  const died: number[] = [];
  const liveness: ClientLiveness = new ClientLiveness(platform, control, layout, {
    free(slot) {
      freed.push(slot);
      liveness.forget(slot);
      control.resetSlot(layout, slot);
    },
    died: (slot) => died.push(slot),
  });
  const occupy = (slot: number, state: SlotState, pid: number) => {
    control.transition(layout, slot, SlotState.Free, state);
    if (pid !== 0) control.setSlotClient(layout, slot, { pid, start: BigInt(pid) * 10n });
  };
  return { liveness, occupy, cheap, full, freed, died };
}

describe('client liveness', () => {
  it('checks through the Platform: cheaply, in full every fourth round, once per process', () => {
    const { liveness, occupy, cheap, full, freed, died } = setup(new Set([101]));
    occupy(0, SlotState.Serving, 101);
    occupy(1, SlotState.Serving, 101);
    occupy(2, SlotState.Serving, 102);
    liveness.check();
    expect(cheap).toEqual([101, 102]);
    expect(full).toEqual([]);
    expect(died).toEqual([2]);
    expect(freed).toEqual([2]);
    liveness.check();
    liveness.check();
    expect(full).toEqual([]);
    liveness.check();
    expect(full).toEqual([101]);
    expect(cheap).toEqual([101, 102, 101, 101]);
    expect(freed).toEqual([2]);
  });

  it('frees Closed slots, and claims without an identity after 2 s', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
    const { liveness, occupy, cheap, freed, died } = setup(new Set());
    occupy(0, SlotState.Closed, 0);
    occupy(1, SlotState.Claimed, 0);
    liveness.check();
    expect(freed).toEqual([0]);
    vi.setSystemTime(1_002_000);
    liveness.check();
    expect(freed).toEqual([0]);
    vi.setSystemTime(1_002_001);
    liveness.check();
    expect(freed).toEqual([0, 1]);
    expect(died).toEqual([]);
    expect(cheap).toEqual([]);
  });
});
