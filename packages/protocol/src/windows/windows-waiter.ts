// The process's one waiter on Windows (spec/transport.md#windows-one-waiter), the counterpart
// of transport/process-waiter.ts: every sleeper of the process registers (doorbell event,
// word, expected value, deadline) here, and a lane of at most 63 events keeps ONE
// WaitForMultipleObjects in flight (one pool thread) over their events plus a private
// re-arm event. Adding a sleeper sets the re-arm event, so the in-flight wait returns and the
// lane re-arms with the new set. Unlike futex_waitv, no value is compared by the kernel: an
// auto-reset event stays set until a wait consumes it, so a SetEvent made before the wait
// starts is not lost, and a registration resolves when its word moved or its event fired.
import type { FutexWaitResult } from '../ring/futex.ts';
import { sleeperOutcome, WaiterRounds } from '../transport/waiter-rounds.ts';
import { win32 } from './kernel32-calls.ts';

/** What the waiter needs of a binding. */
export interface WindowsWaitBinding {
  waitForMultipleObjectsAsync(count: number, handles: BigUint64Array, ms: number): Promise<number>;
  createEvent(
    attributes: Uint8Array | null,
    manualReset: number,
    initialState: number,
    name: string | null,
  ): bigint;
  setEvent(event: bigint): number;
  closeHandle(handle: bigint): number;
  /** A monotonic clock in ms (the host's `performance.now`). */
  monotonicMs(): number;
}

/** Sleepers per lane: the call's 64 handles less the re-arm event. */
export const LANE_SLEEPERS = win32.MAXIMUM_WAIT_OBJECTS - 1;

interface Registration {
  readonly event: bigint;
  readonly words: Int32Array;
  readonly index: number;
  readonly expected: number;
  readonly deadlineMs: number;
  readonly resolve: (result: FutexWaitResult) => void;
}

/** Up to 63 sleepers sharing one WaitForMultipleObjects (entry 0: the re-arm event). */
class Lane {
  readonly registrations: Registration[] = [];
  private readonly handles = new BigUint64Array(win32.MAXIMUM_WAIT_OBJECTS);
  private readonly rearm: bigint;
  /** The distinct events the in-flight call covers (handle i + 1 is armed[i]). */
  private armed: bigint[] = [];
  private inFlight = false;
  private kicked = false;
  private readonly rounds: WaiterRounds;
  /** Events to close once the call in flight no longer names them. */
  private readonly retired = new Set<bigint>();

  constructor(
    private readonly binding: WindowsWaitBinding,
    onBroken: () => void,
  ) {
    this.rearm = binding.createEvent(null, 0, 0, null);
    this.rounds = new WaiterRounds(onBroken);
  }

  /** True when the event could be made (a lane without its re-arm event cannot run). */
  get usable(): boolean {
    return this.rearm !== 0n;
  }

  add(registration: Registration): void {
    this.registrations.push(registration);
    if (!this.inFlight) this.arm();
    else if (!this.kicked) {
      this.kicked = true;
      this.binding.setEvent(this.rearm);
    }
  }

  /** Closes `event` now, or after the call in flight returns if it names it. */
  retire(event: bigint): boolean {
    if (!(this.inFlight && this.armed.includes(event))) return false;
    this.retired.add(event);
    return true;
  }

  private arm(): void {
    if (this.registrations.length === 0) return;
    // WaitForMultipleObjects refuses one handle twice: two sleepers on one word share it.
    this.armed = [...new Set(this.registrations.map((r) => r.event))];
    this.handles[0] = this.rearm;
    this.armed.forEach((event, i) => {
      this.handles[i + 1] = event;
    });
    let deadline = Number.POSITIVE_INFINITY;
    for (const r of this.registrations) deadline = Math.min(deadline, r.deadlineMs);
    const ms = Math.max(0, Math.ceil(deadline - this.binding.monotonicMs()));
    this.inFlight = true;
    this.kicked = false;
    this.binding.waitForMultipleObjectsAsync(this.armed.length + 1, this.handles, ms).then(
      (result) => this.settle(result),
      () => this.settle(win32.WAIT_FAILED),
    );
  }

  private settle(result: number): void {
    this.inFlight = false;
    for (const event of this.retired) this.binding.closeHandle(event);
    this.retired.clear();
    const now = this.binding.monotonicMs();
    const entry = result >= win32.WAIT_OBJECT_0 && result <= this.armed.length ? result : -1;
    const rang = entry > 0 ? this.armed[entry - 1] : undefined;
    const kicked = this.kicked || entry === 0;
    // Several events may be set at once (each stays set until consumed): a word that moved
    // resolves too, whether or not its event was the one returned.
    const outcomes = this.registrations.map((r) =>
      sleeperOutcome(
        Atomics.load(r.words, r.index) !== r.expected || r.event === rang,
        now,
        r.deadlineMs,
      ),
    );
    const still = this.rounds.settle(this.registrations, outcomes, kicked);
    this.registrations.length = 0;
    this.registrations.push(...still);
    this.arm();
  }
}

/** The process's waiter over one binding: one pool thread per 63 sleeping clients. */
export class WindowsWaiter {
  private readonly lanes: Lane[] = [];
  private broken = false;

  constructor(private readonly binding: WindowsWaitBinding) {}

  /** True once its call kept failing: new sleepers must then wait on their own. */
  get failed(): boolean {
    return this.broken;
  }

  /** Sleepers registered now (for tests and diagnostics). */
  get sleepers(): number {
    return this.lanes.reduce((sum, lane) => sum + lane.registrations.length, 0);
  }

  /** Native waits in flight or about to be: one per lane with sleepers. */
  get lanesInUse(): number {
    return this.lanes.filter((lane) => lane.registrations.length > 0).length;
  }

  /**
   * Sleeps while `words[index]` holds `expected` and `event` is not set, at most `timeoutMs`:
   * the futex contract (spurious wakes allowed; the caller re-checks).
   */
  wait(
    event: bigint,
    words: Int32Array,
    index: number,
    expected: number,
    timeoutMs: number,
  ): Promise<FutexWaitResult> {
    if (Atomics.load(words, index) !== expected) return Promise.resolve('not-equal');
    const deadlineMs = this.binding.monotonicMs() + Math.max(0, timeoutMs);
    return new Promise((resolve) => {
      let lane = this.lanes.find((l) => l.registrations.length < LANE_SLEEPERS);
      if (lane === undefined) {
        lane = new Lane(this.binding, () => {
          this.broken = true;
        });
        if (!lane.usable) {
          this.broken = true;
          resolve('woken'); // the caller re-checks and waits again, on its own
          return;
        }
        this.lanes.push(lane);
      }
      lane.add({ event, words, index, expected, deadlineMs, resolve });
    });
  }

  /** Closes a doorbell event, once no wait in flight names it. */
  retire(event: bigint): void {
    if (this.lanes.some((lane) => lane.retire(event))) return;
    this.binding.closeHandle(event);
  }
}
