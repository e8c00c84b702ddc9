// The PluresDB IPC server: owns a channel's segment and the store, adopts client sessions and
// serves them in one loop (serving-loop.ts), checks that its clients still run
// (client-liveness.ts), gives memory back when quiet, and shuts down in order.
import { readFileSync } from 'node:fs';
import { mallocTrim, nodePlatform } from '@pluresdb-ipc/client-node';
import { ErrorCode, type IpcError } from '@pluresdb-ipc/protocol';
import { FrameBuilder } from '@pluresdb-ipc/protocol/messages';
import {
  ControlView,
  FrameCodec,
  HeaderWord,
  now,
  type Platform,
  type ProcessIdentity,
  ringDoorbell,
  type SegmentLayout,
  ServerState,
  type SharedSegment,
  SlotState,
  SlotWord,
  SpillBuffers,
} from '@pluresdb-ipc/protocol/transport';
import { openStore, type PathPrivacy, type Store } from '@pluresdb-ipc/store';
import { channelLayout } from './channel-layout.ts';
import { createChannelSegment, refuseTakenChannel } from './channel-segment.ts';
import { ClientLiveness } from './client-liveness.ts';
import { MemoryRelease } from './memory-release.ts';
import type { ServerCore } from './server-core.ts';
import {
  checkServeOptions,
  type ResolvedServeOptions,
  resolveServeOptions,
  type ServeOptions,
} from './server-options.ts';
import { ServerSession } from './server-session.ts';
import { QUIET_WAKE_MS, ServingLoop } from './serving-loop.ts';
import { SERVER_PROTOCOL } from './session-terms.ts';
import { withStoreOpenWatchdog } from './store-open-watchdog.ts';
import { storePathPrivacy } from './store-privacy.ts';
import { WriteFailureLog } from './write-failure-log.ts';

/** How often the server checks that its clients still run. */
const LIVENESS_INTERVAL_MS = 250;
/** How long shutdown waits for in-flight writes and unread answers. */
const DRAIN_MS = 3_000;
/** Most bytes of free buffers kept for big frames waiting for ring room (outbox.ts). */
const SPILL_RETAIN_BYTES = 8 << 20;

const version: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;

/** A running server. */
export class IpcServer extends ServingLoop implements ServerCore {
  readonly builder = new FrameBuilder(4096);
  readonly frames = new FrameCodec(this.builder);
  readonly spill = new SpillBuffers(SPILL_RETAIN_BYTES);
  readonly identity: ProcessIdentity;
  readonly version = version;
  /** The shm_open name of the channel's segment. */
  readonly segmentName: string;
  requests = 0;
  private readonly segment: SharedSegment;
  private readonly liveness: ClientLiveness;
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
  private loop: Promise<void> | undefined;
  private cancelLivenessCheck: (() => void) | undefined;
  private stopped: Promise<void> | undefined;
  private settledWaiter: (() => void) | undefined;

  private constructor(
    options: ResolvedServeOptions,
    platform: Platform,
    segment: SharedSegment,
    store: Store,
    layout: SegmentLayout,
  ) {
    super(options, platform, segment, store, layout);
    this.segment = segment;
    this.identity = platform.self();
    this.segmentName = segment.name;
    this.liveness = new ClientLiveness(platform, this.control, layout, {
      free: (slot) => this.free(slot),
      died: (slot) => {
        const session = this.sessions.get(slot);
        if (session) this.log(`client ${session.describe()} died; slot ${slot} freed`);
      },
    });
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
    checkServeOptions(resolved);
    const layout = channelLayout(resolved);
    // The store opens before the segment exists (spec/transport.md#starting-on-a-used-channel):
    // a store that cannot open (a bad path, shared permissions, a lock) leaves nothing in
    // /dev/shm, and a live server on the channel is named before the store is touched.
    refuseTakenChannel(platform, resolved.channel);
    const store = await withStoreOpenWatchdog(
      () =>
        openStore({
          path: resolved.dataDir,
          durability: resolved.durability,
          writemap: resolved.writemap,
          fixPermissions: resolved.fixPermissions,
          maxValueBytes: resolved.maxValueBytes,
          ...privacyOption(),
          ...(resolved.changeLog === undefined ? {} : { changeLog: resolved.changeLog }),
          tombstoneHorizonMs: resolved.tombstoneHorizonMs,
        }),
      resolved.dataDir,
      resolved.storeOpenTimeoutMs,
    );
    let segment: SharedSegment | undefined;
    try {
      segment = await createChannelSegment(platform, resolved.channel, layout.segmentBytes);
      new ControlView(segment.buffer, segment.byteOffset, segment.byteLength).initialize({
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
    started.control.setState(ServerState.Ready);
    started.loop = started.run();
    started.scheduleLivenessCheck();
    return started;
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

  /** Adopts `Open` slots and frees `Closed` ones. */
  protected scanSlots(): boolean {
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
    this.liveness.forget(slot);
    this.control.resetSlot(this.layout, slot);
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

  /** Runs the liveness checks every LIVENESS_INTERVAL_MS, or QUIET_WAKE_MS while quiet. */
  protected scheduleLivenessCheck(): void {
    this.cancelLivenessCheck?.();
    this.cancelLivenessCheck = this.platform.setTimer(
      () => {
        this.liveness.check();
        this.memory.check(this.quiet() && !this.midRequest());
        // Also while stopping: shutdown waits for outboxes, and a dead client's never drains.
        // It clears the timer when done.
        this.scheduleLivenessCheck();
      },
      this.quiet() ? QUIET_WAKE_MS : LIVENESS_INTERVAL_MS,
      true,
    );
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
        new Promise<void>((resolve) => this.platform.setTimer(resolve, DRAIN_MS, true)),
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
    this.cancelLivenessCheck?.();
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
      await new Promise<void>((resolve) => this.platform.setTimer(resolve, 1, true));
    }
  }
}

/** The store's `pathPrivacy` option, present only where this system needs one (Windows). */
function privacyOption(): { pathPrivacy?: PathPrivacy } {
  const pathPrivacy = storePathPrivacy();
  return pathPrivacy === undefined ? {} : { pathPrivacy };
}
