// One waiter per process, not one thread per sleeping client (spec/transport.md#many-doorbells-one-waiter).
// Every sleeper of the process registers (address, expected value, deadline) here; a lane of at
// most 127 registrations keeps ONE native `futex_waitv` in flight over all their words plus a
// private control word of its own. Adding a sleeper bumps and wakes the control word, so the
// in-flight wait returns and the lane re-arms with the new set. The kernel compares every word
// with its expected value when the call starts, so the wake protocol's "load, announce,
// re-check, sleep on the loaded value" argument holds per word exactly as with FUTEX_WAIT.
import type { FutexWaitResult } from '../ring/futex.ts';
import { sleeperOutcome, WaiterRounds } from './waiter-rounds.ts';

/** What a runtime binding supplies for the waiter (Linux `futex_waitv`, kernel ≥ 5.16). */
export interface WaitvBinding {
  /**
   * `futex_waitv(vector, count, 0, deadline, CLOCK_MONOTONIC)` off the calling thread: resolves
   * with the index of a woken entry, or -1 (errno belonged to another thread: the caller
   * re-checks the words). `vector` must not change until it resolves.
   */
  futexWaitvAsync(vector: Uint8Array, count: number, deadlineNs: bigint): Promise<number>;
  /** The same call on this thread, for the start-up probe: the result, or -1 and {@link errno}. */
  futexWaitv(vector: Uint8Array, count: number, deadlineNs: bigint): number;
  /** `futex(address, FUTEX_WAKE, INT_MAX)` (shared op: fine for a private word too). */
  futexWake(address: bigint): number;
  /** errno of the last failed call on this thread. */
  errno(): number;
  /** The address of `bytes` (an ordinary buffer the runtime allocated; it never moves). */
  addressOf(bytes: Uint8Array): bigint;
  /** `clock_gettime(CLOCK_MONOTONIC)` in ns: the clock futex_waitv's deadline is on. */
  monotonicNs(): bigint;
}

/** Entries one `futex_waitv` call takes (the kernel's FUTEX_WAITV_MAX). */
export const FUTEX_WAITV_MAX = 128;
/** Bytes of one `struct futex_waitv { u64 val; u64 uaddr; u32 flags; u32 reserved; }`. */
const ENTRY_BYTES = 24;
/**
 * `FUTEX2_SIZE_U32`: a 32-bit word, shared between processes (no FUTEX2_PRIVATE). The control
 * word is this process's own, yet its entry is a shared futex too: the kernel keys a private
 * futex apart from a shared one at the same address, so the shared FUTEX_WAKE the bindings
 * make would never reach a FUTEX2_PRIVATE entry.
 */
const FUTEX2_SIZE_U32 = 0x02;
const ENOSYS = 38;
const EAGAIN = 11;
const ETIMEDOUT = 110;

/** One sleeper: resolved once its word changed, it was woken, or its deadline passed. */
interface Registration {
  readonly address: bigint;
  readonly words: Int32Array;
  readonly index: number;
  readonly expected: number;
  readonly deadlineNs: bigint;
  readonly resolve: (result: FutexWaitResult) => void;
}

/**
 * Up to 127 sleepers sharing one native wait. Layout of its buffer: the control word at byte
 * 0, the vector from byte 8 (entry 0 is the control word, entries 1.. the registrations).
 */
class Lane {
  readonly registrations: Registration[] = [];
  private readonly bytes = new Uint8Array(8 + FUTEX_WAITV_MAX * ENTRY_BYTES);
  private readonly control = new Int32Array(this.bytes.buffer, 0, 1);
  private readonly vector = new DataView(this.bytes.buffer, 8);
  private readonly vectorBytes = this.bytes.subarray(8);
  private readonly controlAddress: bigint;
  /** The registrations the in-flight call covers (entry i + 1 is armed[i]). */
  private armed: Registration[] = [];
  private inFlight = false;
  private kicked = false;
  private readonly rounds: WaiterRounds;

  constructor(
    private readonly binding: WaitvBinding,
    onBroken: () => void,
  ) {
    this.controlAddress = binding.addressOf(this.bytes);
    this.rounds = new WaiterRounds(onBroken);
  }

  /** Whether the kernel knows futex_waitv (a probe that cannot sleep: the value differs). */
  probe(): 'ok' | 'enosys' | number {
    this.writeEntry(0, this.controlAddress, Atomics.load(this.control, 0) + 1);
    const result = this.binding.futexWaitv(this.vectorBytes, 1, 0n);
    if (result >= 0) return 'ok';
    const error = this.binding.errno();
    // EAGAIN: the value differed (checked first); ETIMEDOUT: the past deadline won.
    if (error === EAGAIN || error === ETIMEDOUT) return 'ok';
    return error === ENOSYS ? 'enosys' : error;
  }

  /** Adds a sleeper; the in-flight wait (if any) is made to return and re-arm. */
  add(registration: Registration): void {
    this.registrations.push(registration);
    if (!this.inFlight) this.arm();
    else if (!this.kicked) {
      this.kicked = true;
      Atomics.add(this.control, 0, 1);
      this.binding.futexWake(this.controlAddress);
    }
  }

  private arm(): void {
    if (this.registrations.length === 0) return;
    this.armed = this.registrations.slice();
    this.writeEntry(0, this.controlAddress, Atomics.load(this.control, 0));
    let deadline = this.armed[0]?.deadlineNs ?? 0n;
    for (let i = 0; i < this.armed.length; i++) {
      const r = this.armed[i] as Registration;
      this.writeEntry(i + 1, r.address, r.expected);
      if (r.deadlineNs < deadline) deadline = r.deadlineNs;
    }
    this.inFlight = true;
    this.kicked = false;
    this.binding.futexWaitvAsync(this.vectorBytes, this.armed.length + 1, deadline).then(
      (result) => this.settle(result),
      () => this.settle(-1),
    );
  }

  /** Resolves every sleeper whose word moved, that was woken, or whose deadline passed. */
  private settle(result: number): void {
    this.inFlight = false;
    const now = this.binding.monotonicNs();
    const rang = result > 0 ? this.armed[result - 1] : undefined;
    const kicked = this.kicked || result === 0;
    // Several words may have rung at once: check them all, not only the returned index.
    const outcomes = this.registrations.map((r) =>
      sleeperOutcome(
        Atomics.load(r.words, r.index) !== r.expected || r === rang,
        now,
        r.deadlineNs,
      ),
    );
    const still = this.rounds.settle(this.registrations, outcomes, kicked);
    this.registrations.length = 0;
    this.registrations.push(...still);
    this.arm();
  }

  private writeEntry(entry: number, address: bigint, value: number): void {
    const at = entry * ENTRY_BYTES;
    this.vector.setBigUint64(at, BigInt(value >>> 0), true);
    this.vector.setBigUint64(at + 8, address, true);
    this.vector.setUint32(at + 16, FUTEX2_SIZE_U32, true);
    this.vector.setUint32(at + 20, 0, true);
  }
}

/**
 * The process's waiter over one binding: hands each sleeper to a lane with room, so sleeping
 * clients hold one native wait (one thread) per 127 of them instead of one each.
 */
export class ProcessWaiter {
  private readonly lanes: Lane[] = [];
  private broken = false;

  private constructor(private readonly binding: WaitvBinding) {}

  /**
   * True once its native call kept failing (see {@link Lane}): new sleepers must then wait on
   * their own. Those registered already are resolved by the failing rounds.
   */
  get failed(): boolean {
    return this.broken;
  }

  /**
   * The waiter, or why there is none: `'enosys'` when the kernel lacks futex_waitv, or the
   * errno the probe got.
   */
  static start(binding: WaitvBinding): ProcessWaiter | 'enosys' | number {
    const waiter = new ProcessWaiter(binding);
    const lane = waiter.newLane();
    const probe = lane.probe();
    if (probe !== 'ok') return probe;
    waiter.lanes.push(lane);
    return waiter;
  }

  private newLane(): Lane {
    return new Lane(this.binding, () => {
      this.broken = true;
    });
  }

  /** Sleepers registered now (for tests and diagnostics). */
  get sleepers(): number {
    return this.lanes.reduce((sum, lane) => sum + lane.registrations.length, 0);
  }

  /** Native waits this waiter can have in flight at once: one per lane. */
  get lanesInUse(): number {
    return this.lanes.filter((lane) => lane.registrations.length > 0).length;
  }

  /**
   * Sleeps while `words[index]` (at `address`) holds `expected`, at most `timeoutMs`: the same
   * contract as a FUTEX_WAIT off the event loop.
   */
  wait(
    address: bigint,
    words: Int32Array,
    index: number,
    expected: number,
    timeoutMs: number,
  ): Promise<FutexWaitResult> {
    if (Atomics.load(words, index) !== expected) return Promise.resolve('not-equal');
    const deadlineNs =
      this.binding.monotonicNs() + BigInt(Math.max(0, Math.round(timeoutMs * 1e6)));
    return new Promise((resolve) => {
      let lane = this.lanes.find((l) => l.registrations.length < FUTEX_WAITV_MAX - 1);
      if (lane === undefined) {
        lane = this.newLane();
        this.lanes.push(lane);
      }
      lane.add({ address, words, index, expected, deadlineNs, resolve });
    });
  }
}
