// The server's serving loop (spec/transport.md#wake-protocol): one pass over new slots and
// every session at a time; between passes it spins briefly, in slices between event-loop turns,
// while there is traffic, then sleeps on the server doorbell (off the main thread), so an idle
// server uses no CPU (spec/transport.md#spin-window-and-timeouts). The server (ipc-server.ts)
// builds on it.
import {
  type AsyncFutex,
  ControlView,
  HeaderWord,
  MAX_SLEEP_MS,
  now,
  type Platform,
  POLLS_PER_CLOCK_READ,
  type SegmentLayout,
  type SharedSegment,
  SPIN_SLICE_MS,
} from '@pluresdb-ipc/protocol/transport';
import type { Store } from '@pluresdb-ipc/store';
import type { ResolvedServeOptions } from './server-options.ts';
import type { ServerSession } from './server-session.ts';

/**
 * After this long without traffic the server is quiet: it checks its clients and times its
 * sleeps out once a second instead (QUIET_WAKE_MS). Each wake-up of an idle process cost
 * 0.3–0.7 ms of CPU here (cold caches), so 9 a second were 0.8% of a core with 64 idle
 * clients; 2 a second are 0.2%.
 */
const QUIET_AFTER_MS = 1_000;
/** The liveness interval and the longest sleep of a quiet server. */
export const QUIET_WAKE_MS = 1_000;
/**
 * Under constant traffic the loop still gives the event loop a turn this often, for timers
 * (liveness checks) and signals. A turn costs tens of µs when anything is pending: every
 * 0.5 ms (once per ~100 sequential gets) it showed in the p99 (35.6–42.6 against 29.8–35.5 µs
 * with 5 ms, three interleaved A/B rounds).
 */
const TURN_EVERY_MS = 5;
/**
 * Microtask turns the loop waits for writes committed in place to be answered (the store's
 * promise, the handler's mapping, the session's callback) before it falls back to an
 * event-loop turn.
 */
const SETTLE_HOPS = 4;

/** The sessions being served and the loop that serves them: the base of `IpcServer`. */
export abstract class ServingLoop {
  readonly options: ResolvedServeOptions;
  readonly control: ControlView;
  readonly layout: SegmentLayout;
  readonly futex: AsyncFutex;
  readonly store: Store;
  /** True once shutdown began: the loop ends, and no new sessions are adopted. */
  stopping = false;
  /** Writes issued and not yet answered, across sessions. */
  inFlight = 0;
  protected readonly platform: Platform;
  protected readonly sessions = new Map<number, ServerSession>();
  /**
   * The sessions' values as an array, for the loops that run per pass and per poll: a Map
   * iterator is an allocation and a slower walk, and each idle session slowed a busy one's
   * round trip by ~50 ns.
   */
  protected serving: ServerSession[] = [];
  /** When a poll last found anything to do (ms on the {@link now} clock). */
  protected lastTrafficAt = now();
  private lastDoorbell = -1;

  protected constructor(
    options: ResolvedServeOptions,
    platform: Platform,
    segment: SharedSegment,
    store: Store,
    layout: SegmentLayout,
  ) {
    this.options = options;
    this.platform = platform;
    this.store = store;
    this.layout = layout;
    this.control = new ControlView(segment.buffer, segment.byteOffset, segment.byteLength);
    this.futex = segment.futex;
  }

  /**
   * True when no session has a request waiting to be read (the one being handled is read). A
   * bound field: the store asks it when a pass issues a write (see {@link poll}).
   */
  readonly nothingWaiting = (): boolean => {
    for (const session of this.sessions.values()) if (session.hasUnread()) return false;
    return true;
  };

  /** Adopts `Open` slots and frees `Closed` ones; true when any changed. */
  protected abstract scanSlots(): boolean;

  /** Runs the liveness checks every LIVENESS_INTERVAL_MS, or QUIET_WAKE_MS while quiet. */
  protected abstract scheduleLivenessCheck(): void;

  /** The serving loop: poll, spin between event-loop turns, then sleep on the doorbell. */
  protected async run(): Promise<void> {
    const spinMs = this.options.spinMicros / 1000;
    let lastProgress = now();
    let lastTurn = lastProgress;
    while (!this.stopping) {
      if (this.poll()) {
        const t = now();
        const wasQuiet = t - this.lastTrafficAt > QUIET_AFTER_MS;
        lastProgress = this.lastTrafficAt = t;
        // Back to checking clients every 250 ms, not after the quiet second still pending.
        if (wasQuiet) this.scheduleLivenessCheck();
        // A write the store committed in place (nothing else waiting) is answered a few
        // microtasks later: let those run, and skip the event-loop turn when they were all.
        for (let hop = 0; hop < SETTLE_HOPS && this.inFlight > 0; hop++) await undefined;
        // Let store completions and timers run regularly even under constant traffic.
        if (this.inFlight > 0 || lastProgress - lastTurn > TURN_EVERY_MS) {
          await this.platform.yieldToEventLoop();
          lastTurn = now();
        }
        continue;
      }
      if (this.inFlight > 0) {
        // Writes commit on the store's thread and settle through the event loop, which a
        // spin would hold up: poll the rings between event-loop turns instead.
        await this.platform.yieldToEventLoop();
        lastProgress = lastTurn = now();
        continue;
      }
      const idle = now() - lastProgress;
      if (idle < spinMs) {
        if (!this.spinFor(Math.min(SPIN_SLICE_MS, spinMs - idle))) {
          await this.platform.yieldToEventLoop();
          lastTurn = now();
        }
        continue;
      }
      // A sleep that timed out saw no traffic: sleep again at once instead of spinning.
      if (await this.sleep()) lastProgress = now();
    }
  }

  /** One pass over new slots and every session; true when anything happened. */
  private poll(): boolean {
    let progressed = false;
    const doorbell = Atomics.load(this.control.words, HeaderWord.doorbell);
    if (doorbell !== this.lastDoorbell) {
      this.lastDoorbell = doorbell;
      progressed = this.scanSlots();
    }
    // The writes of one pass commit together, in place, when it ends: one commit (~4–11 µs)
    // for the lot, where lmdb-js's batch thread took ~50 µs to commit and settle them. A write
    // with no other request waiting commits at once, alone.
    if (this.store.commitTogether(this.serviceSessions, this.nothingWaiting)) progressed = true;
    return progressed;
  }

  // A bound field, not a closure per pass: the server makes a pass per request when idle.
  private readonly serviceSessions = (): boolean => {
    let progressed = false;
    for (const session of this.serving) {
      if (session.service()) progressed = true;
    }
    return progressed;
  };

  private spinFor(ms: number): boolean {
    const until = now() + ms;
    const words = this.control.words;
    do {
      for (let poll = 0; poll < POLLS_PER_CLOCK_READ; poll++) {
        if (Atomics.load(words, HeaderWord.doorbell) !== this.lastDoorbell) return true;
        for (const session of this.serving) if (session.canProgress()) return true;
      }
    } while (now() < until);
    return false;
  }

  /**
   * Sleeps on the doorbell after announcing on every session (spec: doorbells). False when the
   * sleep ran its whole time without a ring.
   */
  private async sleep(): Promise<boolean> {
    const words = this.control.words;
    const expected = Atomics.load(words, HeaderWord.doorbell);
    for (const session of this.sessions.values()) session.announceSleep();
    let work = expected !== this.lastDoorbell;
    for (const session of this.sessions.values()) if (!work && session.canProgress()) work = true;
    let rung = true;
    if (!work) {
      const timeoutMs = this.quiet() ? QUIET_WAKE_MS : MAX_SLEEP_MS;
      // The server is its process's only sleeper: its own wait, not the clients' shared waiter.
      const wait = this.futex.waitAsyncAlone ?? this.futex.waitAsync;
      const outcome = await wait.call(this.futex, words, HeaderWord.doorbell, expected, timeoutMs);
      rung = outcome !== 'timed-out';
    }
    for (const session of this.sessions.values()) session.clearSleep();
    return rung;
  }

  /** True after QUIET_AFTER_MS without traffic. */
  protected quiet(): boolean {
    return now() - this.lastTrafficAt > QUIET_AFTER_MS;
  }
}
