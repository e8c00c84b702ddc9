// Client liveness (spec/transport.md#liveness): the server reclaims the slots of clients that
// died without leaving, and of claims abandoned before the client wrote who it is. The checks
// go through the server's Platform: cheaply on most rounds (the pid exists), by full identity
// (pid and start time, which tells a reused pid) on every FULL_CHECK_EVERY-th.
import {
  type ControlView,
  type Platform,
  type ProcessIdentity,
  type SegmentLayout,
  SlotState,
} from '@pluresdb-ipc/protocol/transport';

/** How long a claimed slot may stay without a client identity before it is reclaimed. */
const CLAIM_GRACE_MS = 2_000;
/**
 * Every this-many liveness rounds (1 s under traffic, 4 s while quiet), clients are checked by
 * full identity.
 */
const FULL_CHECK_EVERY = 4;

/** What the checks do to the server's slots. */
export interface SlotReclaimer {
  /** Frees `slot`: its client left (`Closed`), died, or never said who it is. */
  free(slot: number): void;
  /** The client in `slot` died (called just before its slot is freed). */
  died(slot: number): void;
}

/** The liveness checks of one server's client slots. */
export class ClientLiveness {
  private readonly platform: Platform;
  private readonly control: ControlView;
  private readonly layout: SegmentLayout;
  private readonly slots: SlotReclaimer;
  private readonly claimedSince = new Map<number, number>();
  /** Liveness checks run since start (every FULL_CHECK_EVERY-th checks identities in full). */
  private livenessRound = 0;

  constructor(
    platform: Platform,
    control: ControlView,
    layout: SegmentLayout,
    slots: SlotReclaimer,
  ) {
    this.platform = platform;
    this.control = control;
    this.layout = layout;
    this.slots = slots;
  }

  /** Reclaims the slots of clients that died, and claims abandoned half-way. */
  check(): void {
    const { control, layout } = this;
    const t = Date.now();
    this.livenessRound++;
    // Clients of one process (a pool of connections; the bench's 64 idle clients) share one
    // check per round: a /proc read per client made a full round over 64 of them cost the idle
    // server ~4.5 ms.
    const verdicts = new Map<string, boolean>();
    for (let slot = 0; slot < layout.maxClients; slot++) {
      const state = control.slotState(layout, slot);
      if (state === SlotState.Free) continue;
      if (state === SlotState.Closed) {
        this.slots.free(slot);
        continue;
      }
      const client = control.slotClient(layout, slot);
      if (client.pid === 0) {
        const since = this.claimedSince.get(slot) ?? t;
        this.claimedSince.set(slot, since);
        if (t - since > CLAIM_GRACE_MS) this.slots.free(slot);
        continue;
      }
      const key = `${client.pid}:${client.start}`;
      let alive = verdicts.get(key);
      if (alive === undefined) {
        alive = this.clientAlive(client);
        verdicts.set(key, alive);
      }
      if (!alive) {
        this.slots.died(slot);
        this.slots.free(slot);
      }
    }
  }

  /** Forgets a freed slot's claim. */
  forget(slot: number): void {
    this.claimedSince.delete(slot);
  }

  /**
   * Liveness of a client, cheaply: `kill(pid, 0)` on most checks, the full identity (start
   * time from /proc, which tells a reused pid) on every FULL_CHECK_EVERY-th. Reading and
   * parsing /proc/PID/stat for 64 idle clients four times a second cost the idle server 2-3% of
   * a core; a pid reused within a second of its client's death is all the cheap checks miss.
   */
  private clientAlive(client: ProcessIdentity): boolean {
    if (this.livenessRound % FULL_CHECK_EVERY === 0) return this.platform.isAlive(client);
    return this.platform.pidExists(client.pid);
  }
}
