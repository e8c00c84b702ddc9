// The client's side of one session in a channel segment
// (spec/transport.md#handshake-over-shared-memory): a claimed slot, its two rings, the output
// that did not fit yet, and the doorbell sleeps.
import { IpcError } from '../errors.ts';
import { ErrorCode, errorCodeName } from '../gen/types.ts';
import { Outbox } from '../ring/outbox.ts';
import { RingReader } from '../ring/ring-reader.ts';
import { RingView } from '../ring/ring-view.ts';
import { RingWriter } from '../ring/ring-writer.ts';
import { SpillBuffers } from '../ring/spill-buffers.ts';
import { HeaderWord, ServerState, SlotState, SlotWord } from '../transport/control-layout.ts';
import { ControlView, type SegmentHeader } from '../transport/control-view.ts';
import { ringDoorbell } from '../transport/doorbell.ts';
import type { Platform, SharedSegment } from '../transport/platform.ts';
import { segmentName } from '../transport/segment-name.ts';
import { now } from '../wire/clock.ts';

/**
 * Most bytes of free buffers a session keeps for big requests waiting for room in its ring
 * (see {@link SpillBuffers}): enough for a few 1 MiB writes in a row.
 */
const SPILL_RETAIN_BYTES = 4 << 20;

/** One claimed slot of a channel, as seen by the client. */
export class ClientSession {
  readonly header: SegmentHeader;
  readonly slot: number;
  private readonly platform: Platform;
  private readonly segment: SharedSegment;
  private readonly control: ControlView;
  private readonly requestRing: RingView;
  private readonly responseRing: RingView;
  private readonly writer: RingWriter;
  private reader: RingReader;
  private readonly outbox: Outbox;
  private readonly doorbellWord: number;
  private sleepers = 0;
  private released = false;

  private constructor(
    platform: Platform,
    segment: SharedSegment,
    control: ControlView,
    header: SegmentHeader,
    slot: number,
  ) {
    this.platform = platform;
    this.segment = segment;
    this.control = control;
    this.header = header;
    this.slot = slot;
    this.requestRing = control.requestRing(header, slot);
    this.responseRing = control.responseRing(header, slot);
    this.writer = new RingWriter(this.requestRing);
    this.outbox = new Outbox(this.writer, new SpillBuffers(SPILL_RETAIN_BYTES));
    this.reader = new RingReader(this.responseRing, header.maxFrameBytes);
    this.doorbellWord = control.slotWord(header, slot, SlotWord.doorbell);
  }

  /**
   * Maps the channel's segment, checks its header and its server, and claims a free slot (an
   * `operator` also the slots kept for operators, once the others are taken). Nothing is sent
   * yet. Throws `Unavailable` (no usable server) or `ServerFull`.
   */
  static claim(
    platform: Platform,
    channel: string,
    protocol: { min: number; max: number },
    operator = false,
  ): ClientSession {
    const name = segmentName(platform.userId(), channel);
    let segment: SharedSegment;
    try {
      segment = platform.openSegment(name);
    } catch (error) {
      if (!IpcError.is(error) || error.code !== ErrorCode.Unavailable) throw error;
      throw new IpcError(
        ErrorCode.Unavailable,
        `no server is running on channel "${channel}" (start one with: pluresdb-ipc serve --channel ${JSON.stringify(channel)})`,
        { cause: error },
      );
    }
    try {
      const control = new ControlView(segment.buffer, segment.byteOffset, segment.byteLength);
      const header = control.readHeader();
      if (header.channel !== channel) {
        throw new IpcError(
          ErrorCode.Unavailable,
          `segment ${name} belongs to channel "${header.channel}", not "${channel}"`,
        );
      }
      if (control.state() !== ServerState.Ready) {
        throw new IpcError(
          ErrorCode.Unavailable,
          `the server of channel "${channel}" is ${serverStateName(control.state())}`,
        );
      }
      if (!platform.isAlive(header.server)) {
        throw new IpcError(
          ErrorCode.Unavailable,
          `the server of channel "${channel}" (pid ${header.server.pid}) is gone`,
        );
      }
      if (header.protocolMax < protocol.min || header.protocolMin > protocol.max) {
        throw new IpcError(
          ErrorCode.VersionMismatch,
          `server speaks protocol versions ${header.protocolMin} to ${header.protocolMax}, this client ${protocol.min} to ${protocol.max}`,
        );
      }
      // The operator slots come last (spec/transport.md#operator-slots): an operator takes
      // one only when the others are taken, so that it stays free for the next one.
      const ordinary = header.maxClients - header.operatorSlots;
      const end = operator ? header.maxClients : ordinary;
      for (let slot = 0; slot < end; slot++) {
        if (control.transition(header, slot, SlotState.Free, SlotState.Claimed)) {
          control.setSlotClient(header, slot, platform.self());
          return new ClientSession(platform, segment, control, header, slot);
        }
      }
      const also = operator && header.operatorSlots > 0 ? ' (and the operator slot)' : '';
      throw new IpcError(
        ErrorCode.ServerFull,
        `all ${ordinary} client slots of channel "${channel}"${also} are in use`,
      );
    } catch (error) {
      segment.unmap();
      throw error;
    }
  }

  /** Marks the slot `Open` (Hello is in the request ring) and wakes the server. */
  open(): void {
    this.control.transition(this.header, this.slot, SlotState.Claimed, SlotState.Open);
    ringDoorbell(this.control.words, HeaderWord.doorbell, this.segment.futex);
  }

  /** Applies the session's frame limit from HelloOk (it can only shrink the header's). */
  limitFrames(maxFrameBytes: number): void {
    this.reader = new RingReader(
      this.responseRing,
      Math.min(maxFrameBytes, this.header.maxFrameBytes),
    );
  }

  /** True when some output still waits for room in the request ring. */
  hasQueuedOutput(): boolean {
    return !this.outbox.isEmpty;
  }

  /**
   * Sends a frame, or as much of it as fits now; the rest is kept (copied, since `frame` may be
   * a reused builder's bytes) and written by {@link flush}. Frames never interleave.
   */
  send(frame: Uint8Array): void {
    if (this.outbox.isEmpty) {
      const sent = this.writer.writeSome(frame, 0);
      this.publish();
      if (sent < frame.length) this.outbox.add(frame, sent);
      return;
    }
    this.outbox.add(frame, 0);
    this.flush();
  }

  /** Writes queued output that fits now; true when anything was written. */
  flush(): boolean {
    const progressed = this.outbox.drain();
    if (progressed) this.publish();
    return progressed;
  }

  /** The next frame from the server (a copy), or undefined. Throws `Malformed` on a broken ring. */
  read(): Uint8Array | undefined {
    const frame = this.reader.next();
    // Checked on every read, frame or not: consuming fragments frees space too.
    if (this.reader.writerSleeping()) this.wakeServer();
    return frame;
  }

  /**
   * The response ring's read counter: it moves when {@link read} consumed anything, a whole
   * frame or only fragments of one.
   */
  readPosition(): number {
    return this.reader.position();
  }

  /** True when the server published something not read yet. */
  hasData(): boolean {
    return this.reader.hasData();
  }

  /**
   * Why this session cannot go on, or undefined while it can: the server ended it, stopped,
   * or died. `checkProcess` adds the (slower) check that the server process still runs.
   */
  failure(checkProcess: boolean): IpcError | undefined {
    if (this.released) return new IpcError(ErrorCode.Closed, 'the session is closed');
    const slotState = this.control.slotState(this.header, this.slot);
    if (slotState === SlotState.Ended) {
      const code = this.control.endCode(this.header, this.slot);
      return new IpcError(
        code === ErrorCode.Ok ? ErrorCode.Unavailable : code,
        `the server ended the session (${errorCodeName(code)})`,
      );
    }
    // Stopping still delivers the answers owed; only Stopped (or garbage) ends the session.
    const state = this.control.state();
    if (state !== ServerState.Ready && state !== ServerState.Stopping) {
      return new IpcError(ErrorCode.Unavailable, `the server is ${serverStateName(state)}`);
    }
    if (checkProcess && !this.platform.isAlive(this.header.server)) {
      return new IpcError(ErrorCode.Unavailable, `the server (pid ${this.header.server.pid}) died`);
    }
    return undefined;
  }

  /** Sleeps until the server rings (or `timeoutMs`), blocking the thread. */
  sleepSync(timeoutMs: number): 'ready' | 'timed-out' {
    const expected = this.announce();
    if (expected === undefined) return 'ready';
    try {
      const outcome = this.segment.futex.wait(
        this.control.words,
        this.doorbellWord,
        expected,
        timeoutMs,
      );
      return outcome === 'timed-out' ? 'timed-out' : 'ready';
    } finally {
      this.unannounce();
    }
  }

  /** Sleeps until the server rings (or `timeoutMs`) without blocking the event loop. */
  async sleepAsync(timeoutMs: number): Promise<'ready' | 'timed-out'> {
    const expected = this.announce();
    if (expected === undefined) return 'ready';
    try {
      const outcome = await this.segment.futex.waitAsync(
        this.control.words,
        this.doorbellWord,
        expected,
        timeoutMs,
      );
      return outcome === 'timed-out' ? 'timed-out' : 'ready';
    } finally {
      this.unannounce();
    }
  }

  /**
   * Leaves the slot (`Closed`) and wakes the server to free it. The mapping stays until
   * {@link unmap}, which the caller runs once no wait on it is in flight.
   */
  leave(): void {
    if (this.released) return;
    this.released = true;
    const { control, header, slot } = this;
    for (const from of [SlotState.Serving, SlotState.Open, SlotState.Claimed, SlotState.Ended]) {
      if (control.transition(header, slot, from, SlotState.Closed)) break;
    }
    ringDoorbell(control.words, HeaderWord.doorbell, this.segment.futex);
    // Wake any waiter of ours on this slot so it notices and lets go of the mapping.
    ringDoorbell(control.words, this.doorbellWord, this.segment.futex);
  }

  /** Unmaps the segment; nothing of this session may be touched afterwards. */
  unmap(): void {
    this.leave();
    this.segment.unmap();
  }

  /** True once {@link leave} ran. */
  isReleased(): boolean {
    return this.released;
  }

  /**
   * Announces the sleep (doorbell loaded first, then the flags, then a re-check). Returns the
   * doorbell value to wait on, or undefined when there is work already.
   */
  private announce(): number | undefined {
    const expected = Atomics.load(this.control.words, this.doorbellWord);
    if (this.sleepers++ === 0)
      Atomics.store(this.responseRing.control, RingView.readerSleepingWord, 1);
    if (!this.outbox.isEmpty)
      Atomics.store(this.requestRing.control, RingView.writerSleepingWord, 1);
    if (this.reader.hasData() || this.flush() || this.failure(false) !== undefined) {
      this.unannounce();
      return undefined;
    }
    return expected;
  }

  private unannounce(): void {
    if (--this.sleepers > 0 || this.released) return;
    Atomics.store(this.responseRing.control, RingView.readerSleepingWord, 0);
    Atomics.store(this.requestRing.control, RingView.writerSleepingWord, 0);
  }

  private publish(): void {
    if (this.writer.publish()) this.wakeServer();
  }

  private wakeServer(): void {
    ringDoorbell(this.control.words, HeaderWord.doorbell, this.segment.futex);
  }
}

/** A server state's name, for messages. */
export function serverStateName(state: number): string {
  switch (state) {
    case ServerState.Starting:
      return 'starting';
    case ServerState.Ready:
      return 'ready';
    case ServerState.Stopping:
      return 'stopping';
    case ServerState.Stopped:
      return 'stopped';
    default:
      return `in unknown state ${state}`;
  }
}

/** Milliseconds left until `deadline` (never negative). */
export function remaining(deadline: number): number {
  return Math.max(0, deadline - now());
}
