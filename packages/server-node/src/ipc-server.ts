// The PluresDB IPC server: owns a channel's segment and the store, adopts client sessions,
// and runs one loop that serves them all. The loop spins briefly between event-loop turns
// while there is traffic, then sleeps on the server doorbell (off the main thread), so an idle
// server uses no CPU (spec/transport.md#wake-protocol).
import { readFileSync } from 'node:fs';
import { mallocTrim, nodePlatform } from '@pluresdb-ipc/client-node';
import {
  type AsyncFutex,
  ControlView,
  checkChannelName,
  ErrorCode,
  FrameBuilder,
  FrameCodec,
  HeaderWord,
  IpcError,
  isValidRingCapacity,
  MAX_CLIENTS,
  MAX_SEGMENT_BYTES,
  now,
  type Platform,
  POLLS_PER_CLOCK_READ,
  type ProcessIdentity,
  ringDoorbell,
  type SegmentLayout,
  ServerState,
  type SharedSegment,
  SlotState,
  SlotWord,
  SpillBuffers,
} from '@pluresdb-ipc/protocol';
import { openStore, type Store } from '@pluresdb-ipc/store';
import { channelLayout, OPERATOR_SLOTS } from './channel-layout.ts';
import { createChannelSegment, refuseTakenChannel } from './channel-segment.ts';
import { MemoryRelease } from './memory-release.ts';
import type { ServerCore } from './server-core.ts';
import {
  type ResolvedServeOptions,
  resolveServeOptions,
  type ServeOptions,
} from './server-options.ts';
import { SERVER_PROTOCOL, ServerSession } from './server-session.ts';
import { WriteFailureLog } from './write-failure-log.ts';

/** How often the server checks that its clients still run. */
const LIVENESS_INTERVAL_MS = 250;
/** How long the loop sleeps at most. */
const SLEEP_MS = 200;
/**
 * After this long without traffic the server is quiet: it checks its clients and times its
 * sleeps out once a second instead (QUIET_WAKE_MS). Each wake-up of an idle process cost
 * 0.3–0.7 ms of CPU here (cold caches), so 9 a second were 0.8% of a core with 64 idle
 * clients; 2 a second are 0.2%.
 */
const QUIET_AFTER_MS = 1_000;
/** The liveness interval and the longest sleep of a quiet server. */
const QUIET_WAKE_MS = 1_000;
/** How long a claimed slot may stay without a client identity before it is reclaimed. */
const CLAIM_GRACE_MS = 2_000;
/**
 * Every this-many liveness rounds (1 s under traffic, 4 s while quiet), clients are checked by
 * full identity.
 */
const FULL_CHECK_EVERY = 4;
/** How long shutdown waits for in-flight writes and unread answers. */
const DRAIN_MS = 3_000;
const SPIN_SLICE_MS = 0.05;
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
/** Most bytes of free buffers kept for big frames waiting for ring room (outbox.ts). */
const SPILL_RETAIN_BYTES = 8 << 20;

const version: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;

/** A running server. */
export class IpcServer implements ServerCore {
  readonly options: ResolvedServeOptions;
  readonly control: ControlView;
  readonly layout: SegmentLayout;
  readonly futex: AsyncFutex;
  readonly store: Store;
  readonly builder = new FrameBuilder(4096);
  readonly frames = new FrameCodec(this.builder);
  readonly spill = new SpillBuffers(SPILL_RETAIN_BYTES);
  readonly identity: ProcessIdentity;
  readonly version = version;
  /** The shm_open name of the channel's segment. */
  readonly segmentName: string;
  stopping = false;
  requests = 0;
  inFlight = 0;
  private readonly platform: Platform;
  private readonly segment: SharedSegment;
  private readonly sessions = new Map<number, ServerSession>();
  /**
   * The sessions' values as an array, for the loops that run per pass and per poll: a Map
   * iterator is an allocation and a slower walk, and each idle session slowed a busy one's
   * round trip by ~50 ns.
   */
  private serving: ServerSession[] = [];
  private readonly claimedSince = new Map<number, number>();
  /** Liveness checks run since start (every FULL_CHECK_EVERY-th checks identities in full). */
  private livenessRound = 0;
  /** When a poll last found anything to do (ms on the {@link now} clock). */
  private lastTrafficAt = now();
  private readonly writeFailures = new WriteFailureLog((line) => this.log(line));
  private readonly memory = new MemoryRelease({
    rss: () => process.memoryUsage.rss(),
    shrink: () => {
      this.builder.release();
      this.spill.release();
      // The request decoders keep a view of the last frame's buffer (a big put's, say).
      this.frames.forget();
    },
    trim: mallocTrim,
  });
  private readonly startedAt = Date.now();
  private lastDoorbell = -1;
  private loop: Promise<void> | undefined;
  private livenessTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped: Promise<void> | undefined;
  private settledWaiter: (() => void) | undefined;

  private constructor(
    options: ResolvedServeOptions,
    platform: Platform,
    segment: SharedSegment,
    store: Store,
    layout: SegmentLayout,
  ) {
    this.options = options;
    this.platform = platform;
    this.segment = segment;
    this.store = store;
    this.layout = layout;
    this.control = new ControlView(segment.buffer);
    this.futex = segment.futex;
    this.identity = platform.self();
    this.segmentName = segment.name;
  }

  /**
   * Starts a server: refuses while a live server runs on the channel, opens the store, creates
   * the channel's segment (cleaning up after a dead server), and begins serving. A failed
   * start leaves no segment.
   */
  static async start(
    options: ServeOptions = {},
    platform: Platform = nodePlatform,
  ): Promise<IpcServer> {
    const resolved = resolveServeOptions(options);
    checkChannelName(resolved.channel);
    const maxOrdinary = MAX_CLIENTS - OPERATOR_SLOTS;
    if (
      !Number.isInteger(resolved.maxClients) ||
      resolved.maxClients < 1 ||
      resolved.maxClients > maxOrdinary
    ) {
      throw new IpcError(ErrorCode.InvalidArgument, `max clients must be 1 to ${maxOrdinary}`);
    }
    if (!Number.isSafeInteger(resolved.maxOutboundBytes) || resolved.maxOutboundBytes < 1) {
      throw new IpcError(
        ErrorCode.InvalidArgument,
        'max outbound bytes must be a positive integer',
      );
    }
    if (resolved.maxOutboundBytes < resolved.maxFrameBytes) {
      resolved.log(
        `pluresdb-ipc: warning: --max-outbound-bytes ${resolved.maxOutboundBytes} is below the frame limit ${resolved.maxFrameBytes} (from --max-value-bytes): a client reading an answer that big is ended with Busy`,
      );
    }
    if (!isValidRingCapacity(resolved.ringBytes)) {
      throw new IpcError(
        ErrorCode.InvalidArgument,
        'ring bytes must be a power of two from 4096 to 2^30',
      );
    }
    const layout = channelLayout(resolved);
    if (layout.segmentBytes > MAX_SEGMENT_BYTES) {
      throw new IpcError(
        ErrorCode.InvalidArgument,
        `${resolved.maxClients} clients × 2 rings of ${resolved.ringBytes} bytes exceed the 2 GiB segment limit`,
      );
    }
    // The store opens before the segment exists (spec/transport.md#starting-on-a-used-channel):
    // a store that cannot open (a bad path, shared permissions, a lock) leaves nothing in
    // /dev/shm, and a live server on the channel is named before the store is touched.
    refuseTakenChannel(platform, resolved.channel);
    let server: IpcServer | undefined;
    const store = await openStore({
      path: resolved.dataDir,
      durability: resolved.durability,
      writemap: resolved.writemap,
      fixPermissions: resolved.fixPermissions,
      maxValueBytes: resolved.maxValueBytes,
      // A write with no other request waiting commits at once (~4–11 µs); one among others
      // waiting is held and committed with them when the pass ends (commitTogether).
      commitNow: () => server?.nothingWaiting() ?? false,
    });
    let segment: SharedSegment | undefined;
    try {
      segment = await createChannelSegment(platform, resolved.channel, layout.segmentBytes);
      new ControlView(segment.buffer).initialize({
        layout,
        protocolMin: SERVER_PROTOCOL.min,
        protocolMax: SERVER_PROTOCOL.max,
        server: platform.self(),
        maxFrameBytes: resolved.maxFrameBytes,
        channel: resolved.channel,
      });
    } catch (error) {
      if (segment) {
        platform.unlinkSegment(segment.name);
        segment.unmap();
      }
      await store.close();
      throw error;
    }
    const started = new IpcServer(resolved, platform, segment, store, layout);
    for (const line of store.tightened) started.log(line);
    server = started;
    started.control.setState(ServerState.Ready);
    started.loop = started.run();
    started.scheduleLivenessCheck();
    return started;
  }

  /** True when no session has a request waiting to be read (the one being handled is read). */
  nothingWaiting(): boolean {
    for (const session of this.sessions.values()) if (session.hasUnread()) return false;
    return true;
  }

  /** Number of client sessions being served. */
  get clientCount(): number {
    return this.sessions.size;
  }

  /**
   * Stops: no new sessions; requests still unread are answered `Unavailable`; writes in flight
   * finish and their answers are delivered (up to 3 s); then every session ends, the store is
   * flushed and closed, and the segment is removed. Idempotent.
   */
  stop(): Promise<void> {
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  log(line: string): void {
    this.options.log(`pluresdb-ipc: ${line}`);
  }

  kick(): void {
    ringDoorbell(this.control.words, HeaderWord.doorbell, this.futex);
  }

  shedOutbound(): void {
    const limit = this.options.maxOutboundBytes;
    while (this.spill.queued > limit) {
      let furthest: ServerSession | undefined;
      for (const session of this.serving) {
        if (furthest === undefined || session.queuedBytes > furthest.queuedBytes)
          furthest = session;
      }
      if (furthest === undefined || furthest.queuedBytes === 0) return;
      furthest.cut(
        `output queued for all clients passed --max-outbound-bytes ${limit}; this session's was the longest, ${furthest.queuedBytes} bytes unread`,
      );
    }
  }

  writeFailed(error: IpcError): void {
    this.writeFailures.failed(error);
  }

  writeSettled(): void {
    this.inFlight--;
    if (this.inFlight === 0) this.settledWaiter?.();
  }

  statsForClients() {
    let subscriptions = 0;
    for (const session of this.sessions.values()) subscriptions += session.subscriptionCount;
    return {
      clients: this.sessions.size,
      subscriptions,
      requests: BigInt(this.requests),
      uptimeMs: BigInt(Date.now() - this.startedAt),
      version,
    };
  }

  /** The serving loop: poll, spin between event-loop turns, then sleep on the doorbell. */
  private async run(): Promise<void> {
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
    // for the lot, where lmdb-js's batch thread took ~50 µs to commit and settle them.
    if (this.store.commitTogether(this.serviceSessions)) progressed = true;
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
      const timeoutMs = this.quiet() ? QUIET_WAKE_MS : SLEEP_MS;
      const outcome = await this.futex.waitAsync(words, HeaderWord.doorbell, expected, timeoutMs);
      rung = outcome !== 'timed-out';
    }
    for (const session of this.sessions.values()) session.clearSleep();
    return rung;
  }

  /** Adopts `Open` slots and frees `Closed` ones. */
  private scanSlots(): boolean {
    let changed = false;
    const { control, layout } = this;
    for (let slot = 0; slot < layout.maxClients; slot++) {
      const state = control.slotState(layout, slot);
      if (state === SlotState.Open && !this.stopping) {
        if (!control.transition(layout, slot, SlotState.Open, SlotState.Serving)) continue;
        this.sessions.get(slot)?.drop();
        this.sessions.set(slot, new ServerSession(this, slot, control.slotClient(layout, slot)));
        this.serving = [...this.sessions.values()];
        changed = true;
      } else if (state === SlotState.Closed) {
        this.free(slot);
        changed = true;
      }
    }
    return changed;
  }

  /** Frees a slot: forgets its session and resets its rings (spec: slot life cycle). */
  private free(slot: number): void {
    this.sessions.get(slot)?.drop();
    this.sessions.delete(slot);
    this.serving = [...this.sessions.values()];
    this.claimedSince.delete(slot);
    this.control.resetSlot(this.layout, slot);
  }

  /**
   * Liveness of a client, cheaply: `kill(pid, 0)` on most checks, the full identity (start
   * time from /proc, which tells a reused pid) on every FULL_CHECK_EVERY-th. Reading and
   * parsing /proc/PID/stat for 64 idle clients four times a second cost the idle server 2-3% of
   * a core; a pid reused within a second of its client's death is all the cheap checks miss.
   */
  private clientAlive(client: ProcessIdentity): boolean {
    if (this.livenessRound % FULL_CHECK_EVERY === 0) return this.platform.isAlive(client);
    try {
      process.kill(client.pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }

  /**
   * True while a session is half way through a big request, whose fragments are held. A
   * release then would count them in the level it measures later growth from, and never give
   * them back: a client stalled mid-request under load left 272 MiB held after 60 MiB puts.
   */
  private midRequest(): boolean {
    for (const session of this.serving) if (session.midRequest()) return true;
    return false;
  }

  /** True after QUIET_AFTER_MS without traffic. */
  private quiet(): boolean {
    return now() - this.lastTrafficAt > QUIET_AFTER_MS;
  }

  /** Runs {@link checkClients} every LIVENESS_INTERVAL_MS, or QUIET_WAKE_MS while quiet. */
  private scheduleLivenessCheck(): void {
    if (this.livenessTimer) clearTimeout(this.livenessTimer);
    this.livenessTimer = setTimeout(
      () => {
        this.checkClients();
        this.memory.check(this.quiet() && !this.midRequest());
        // Also while stopping: shutdown waits for outboxes, and a dead client's never drains.
        // It clears the timer when done.
        this.scheduleLivenessCheck();
      },
      this.quiet() ? QUIET_WAKE_MS : LIVENESS_INTERVAL_MS,
    );
  }

  /** Reclaims the slots of clients that died, and claims abandoned half-way. */
  private checkClients(): void {
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
        this.free(slot);
        continue;
      }
      const client = control.slotClient(layout, slot);
      if (client.pid === 0) {
        const since = this.claimedSince.get(slot) ?? t;
        this.claimedSince.set(slot, since);
        if (t - since > CLAIM_GRACE_MS) this.free(slot);
        continue;
      }
      const key = `${client.pid}:${client.start}`;
      let alive = verdicts.get(key);
      if (alive === undefined) {
        alive = this.clientAlive(client);
        verdicts.set(key, alive);
      }
      if (!alive) {
        const session = this.sessions.get(slot);
        if (session) this.log(`client ${session.describe()} died; slot ${slot} freed`);
        this.free(slot);
      }
    }
  }

  private async shutdown(): Promise<void> {
    this.stopping = true;
    this.control.setState(ServerState.Stopping);
    this.kick();
    await this.loop;
    for (const session of this.sessions.values()) session.refuseRemaining();
    // Let writes in flight finish; their answers go out (or are queued) as they settle.
    if (this.inFlight > 0) {
      await Promise.race([
        new Promise<void>((resolve) => {
          this.settledWaiter = resolve;
        }),
        new Promise((resolve) => setTimeout(resolve, DRAIN_MS)),
      ]);
    }
    await this.drainOutboxes(now() + DRAIN_MS);
    for (const session of this.sessions.values())
      session.end(ErrorCode.Unavailable, 'server stopping');
    this.control.setState(ServerState.Stopped);
    for (let slot = 0; slot < this.layout.maxClients; slot++) {
      ringDoorbell(
        this.control.words,
        this.control.slotWord(this.layout, slot, SlotWord.doorbell),
        this.futex,
      );
    }
    if (this.livenessTimer) clearTimeout(this.livenessTimer);
    await this.store.close();
    this.platform.unlinkSegment(this.segment.name);
    this.segment.unmap();
  }

  /** Delivers queued answers while their clients read them, up to `deadline`. */
  private async drainOutboxes(deadline: number): Promise<void> {
    for (;;) {
      let backlog = false;
      for (const session of this.sessions.values()) {
        session.service();
        if (session.hasBacklog() && this.platform.isAlive(session.client)) backlog = true;
      }
      if (!backlog || now() > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
}
