// The server's side of one client session (spec/transport.md#handshake-over-shared-memory):
// reads the client's request ring, runs requests, and writes answers and events to its response
// ring (session-output.ts). Nothing here ever waits on the client: output that does not fit is
// queued, and while anything is queued the session reads no new requests (back-pressure), so
// only events can grow the queue, and they are bounded by `maxBacklogBytes` per session and
// `maxOutboundBytes` for all sessions together (spec/transport.md#back-pressure).
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import {
  decodeFrame,
  defaultVerifyLimits,
  errorCodeName,
  type Hello,
  type Request,
  type ResponseBody,
  requestVersion,
  type VerifyLimits,
  versionRefusal,
} from '@pluresdb-ipc/protocol/messages';
import {
  type Outbox,
  type ProcessIdentity,
  RingReader,
  RingView,
  SlotState,
  SlotWord,
} from '@pluresdb-ipc/protocol/transport';
import type { CatchUp, StoreEvent } from '@pluresdb-ipc/store';
import { handleRequest, type RequestContext } from './request-handler.ts';
import type { ServerCore } from './server-core.ts';
import { SessionOutput } from './session-output.ts';
import { helloAnswer, operatorRefusal, SERVER_PROTOCOL } from './session-terms.ts';

/** Most frames one session handles per turn, so one busy client cannot starve the others. */
const FRAMES_PER_TURN = 64;
/** Most change log entries a resumed subscription reads per turn (spec/crdt.md#subscriptions). */
const CATCH_UP_PER_TURN = 256;

/** One client session, as the server sees it. */
export class ServerSession {
  readonly slot: number;
  readonly client: ProcessIdentity;
  private readonly core: ServerCore;
  private readonly requestRing: RingView;
  private readonly responseRing: RingView;
  private readonly reader: RingReader;
  private readonly output: SessionOutput;
  /** The output's queue (the same object), read on every pass. */
  private readonly outbox: Outbox;
  private established = false;
  /** The version agreed in the Hello exchange (spec/messages.md#version-negotiation). */
  private protocolVersion = 1;
  private readonly subscriptions = new Map<bigint, () => void>();
  /** Resumed subscriptions still reading the change log, paced by the client's reading. */
  private readonly catchingUp = new Map<bigint, CatchUp>();
  private nextSubscription = 1n;
  private readonly context: RequestContext;
  /** Verification limits of this session's frames (built once, not per frame). */
  private readonly limits: VerifyLimits;
  /** Writes issued and not yet answered. */
  inFlight = 0;
  /** Set when the session ended; late answers are dropped. */
  ended = false;
  /** The client's name and runtime from Hello, for logs. */
  label = '';
  /** True in an operator slot: only what session-terms.ts allows is served. */
  private readonly operatorOnly: boolean;

  constructor(core: ServerCore, slot: number, client: ProcessIdentity) {
    this.core = core;
    this.slot = slot;
    this.client = client;
    const { control, layout } = core;
    this.requestRing = control.requestRing(layout, slot);
    this.responseRing = control.responseRing(layout, slot);
    this.reader = new RingReader(this.requestRing, core.options.maxFrameBytes);
    this.output = new SessionOutput(
      core,
      this.requestRing,
      this.responseRing,
      control.slotWord(layout, slot, SlotWord.doorbell),
    );
    this.outbox = this.output.outbox;
    this.limits = { ...defaultVerifyLimits, maxBytes: core.options.maxFrameBytes };
    this.operatorOnly = slot >= layout.maxClients - layout.operatorSlots;
    this.context = {
      store: core.store,
      subscribe: (prefix, since) => this.subscribe(prefix, since),
      unsubscribe: (id) => this.unsubscribe(id),
      serverStats: () => core.statsForClients(),
    };
  }

  /** Live subscriptions of this session. */
  get subscriptionCount(): number {
    return this.subscriptions.size;
  }

  /** Writes queued output, then handles up to a turn's worth of requests; true on progress. */
  service(): boolean {
    // Most sessions are idle in most passes, and the server makes a pass per request: an idle
    // one costs two loads. (Skipping the writer's sleep check is safe: it follows every read.)
    if (this.outbox.isEmpty && !this.reader.hasData() && this.catchingUp.size === 0) return false;
    let progressed = this.output.flush();
    if (this.catchingUp.size > 0 && this.outbox.isEmpty && !this.ended && this.catchUp())
      progressed = true;
    // While stopping, only answers already owed go out; new requests get refuseRemaining().
    if (!this.outbox.isEmpty || this.ended || this.core.stopping) return progressed;
    for (let n = 0; n < FRAMES_PER_TURN && !this.ended && this.outbox.isEmpty; n++) {
      let bytes: Uint8Array | undefined;
      const before = this.reader.position();
      try {
        bytes = this.reader.next();
      } catch (error) {
        this.end(ErrorCode.Malformed, IpcError.from(error).rawMessage);
        return true;
      }
      // Checked on every read, frame or not: consuming fragments frees space too.
      if (this.reader.writerSleeping()) this.output.wakeClient();
      if (bytes === undefined) {
        // Fragments of a big request are progress: the loop keeps spinning for the rest.
        if (this.reader.position() !== before) progressed = true;
        break;
      }
      progressed = true;
      this.handleFrame(bytes);
    }
    this.output.endBurst();
    return progressed;
  }

  /** While stopping: answers every request still in the ring with `Unavailable`, runs none. */
  refuseRemaining(): void {
    for (;;) {
      let bytes: Uint8Array | undefined;
      try {
        bytes = this.reader.next();
      } catch {
        return;
      }
      if (bytes === undefined) return;
      let id = 0n;
      try {
        const message = decodeFrame(bytes, this.limits).message;
        if (message.type === 'Request') id = message.value.id;
      } catch {
        // unreadable: answered with id 0, as any malformed frame
      }
      this.sendError(
        id,
        new IpcError(ErrorCode.Unavailable, 'the server is stopping; the request was not run'),
      );
    }
  }

  /** True when the session could make progress now (used to re-check before sleeping). */
  canProgress(): boolean {
    if (this.ended) return false;
    if (!this.outbox.isEmpty) return this.output.flush();
    return this.reader.hasData() || this.catchingUp.size > 0;
  }

  /** True when the client published requests not read yet. */
  hasUnread(): boolean {
    return !this.ended && this.reader.hasData();
  }

  /** True while output waits for room in the client's ring. */
  hasBacklog(): boolean {
    return !this.outbox.isEmpty;
  }

  /**
   * True while a request is half read (its fragments so far are held): the server gives no
   * memory back meanwhile (memory-release.ts). Queued output does not count: a stalled
   * subscriber may hold some for as long as it lives.
   */
  midRequest(): boolean {
    return this.reader.midFrame;
  }

  /** Bytes of output waiting for room in the client's ring. */
  get queuedBytes(): number {
    return this.outbox.bytes;
  }

  /** Announces that the server is about to sleep (spec/transport.md#wake-protocol). */
  announceSleep(): void {
    Atomics.store(this.requestRing.control, RingView.readerSleepingWord, 1);
    if (!this.outbox.isEmpty)
      Atomics.store(this.responseRing.control, RingView.writerSleepingWord, 1);
  }

  /** Clears the announcement after waking. */
  clearSleep(): void {
    Atomics.store(this.requestRing.control, RingView.readerSleepingWord, 0);
    Atomics.store(this.responseRing.control, RingView.writerSleepingWord, 0);
  }

  /**
   * Ends the session: subscriptions stop, the slot becomes `Ended` with `code`, and the client
   * is woken to notice. The slot is freed once the client stores `Closed` or dies.
   */
  end(code: ErrorCode, reason: string): void {
    if (this.ended) return;
    this.ended = true;
    for (const stop of this.subscriptions.values()) stop();
    this.subscriptions.clear();
    this.catchingUp.clear();
    const { control, layout } = this.core;
    control.setEndCode(layout, this.slot, code);
    control.transition(layout, this.slot, SlotState.Serving, SlotState.Ended);
    this.output.ringNow();
    if (code !== ErrorCode.Unavailable || reason !== 'server stopping') {
      this.core.log(
        `session ${this.slot} (${this.describe()}) ended: ${errorCodeName(code)}: ${reason}`,
      );
    }
  }

  /**
   * Ends the session with `Busy` because it fell behind, and frees its queued output at once:
   * a stalled client may keep its slot for a long time, and its queue must not stay with it.
   */
  cut(reason: string): void {
    this.end(ErrorCode.Busy, reason);
    this.outbox.clear();
  }

  /** Forgets the session without touching shared memory (the slot is being reset). */
  drop(): void {
    this.ended = true;
    for (const stop of this.subscriptions.values()) stop();
    this.subscriptions.clear();
    this.catchingUp.clear();
    this.outbox.clear();
  }

  /** `name (runtime, pid N)` for logs. */
  describe(): string {
    return `${this.label || 'client'} pid ${this.client.pid}`;
  }

  private handleFrame(bytes: Uint8Array): void {
    let request: Request;
    try {
      const message = this.core.frames.decodeRequest(bytes, this.limits).message;
      if (message.type !== 'Request')
        throw new IpcError(ErrorCode.Malformed, `a client sent a ${message.type}`);
      request = message.value;
    } catch (error) {
      const malformed = IpcError.from(error, ErrorCode.Malformed);
      this.sendError(0n, malformed);
      this.end(ErrorCode.Malformed, malformed.rawMessage);
      return;
    }
    if (!this.established) {
      if (request.body.type === 'Hello') this.handshake(request.id, request.body.value);
      else this.sendError(request.id, new IpcError(ErrorCode.Unauthenticated, 'say Hello first'));
      return;
    }
    this.core.requests++;
    if (this.operatorOnly) {
      const refusal = operatorRefusal(request.body.type);
      if (refusal) {
        this.sendError(request.id, refusal);
        return;
      }
    }
    // Rule 5 of spec/versioning.md: a request newer than the session's version is refused, and
    // the session goes on (the frame itself is valid). Only older sessions can send one, so a
    // session of the newest version skips the lookup on every request.
    if (this.protocolVersion < SERVER_PROTOCOL.max) {
      const type = request.body.type;
      const tooNew = versionRefusal(type, requestVersion(type), this.protocolVersion);
      if (tooNew) {
        this.sendError(request.id, tooNew);
        return;
      }
    }
    let answer: ResponseBody | Promise<ResponseBody>;
    try {
      answer = handleRequest(request, this.context);
    } catch (error) {
      this.sendError(request.id, IpcError.from(error, ErrorCode.Internal));
      return;
    }
    if (!(answer instanceof Promise)) {
      this.sendBody(request.id, answer);
      return;
    }
    this.inFlight++;
    this.core.inFlight++;
    // Settled in the callbacks themselves (not a `finally`, a microtask later): the server's
    // loop checks, a few microtasks after issuing, whether writes committed in place are done.
    answer.then(
      (body) => {
        this.settled();
        this.sendBody(request.id, body);
      },
      (error: unknown) => {
        this.settled();
        const failure = IpcError.from(error, ErrorCode.Internal);
        this.core.writeFailed(failure);
        this.sendError(request.id, failure);
      },
    );
  }

  private settled(): void {
    this.inFlight--;
    this.core.writeSettled();
  }

  private handshake(id: bigint, hello: Hello): void {
    this.label = [hello.clientName, hello.runtime].filter(Boolean).join(', ');
    const answer = helloAnswer(this.core, hello);
    if (answer instanceof IpcError) {
      this.sendError(id, answer);
      this.end(answer.code, answer.rawMessage);
      return;
    }
    this.established = true;
    if (answer.type === 'HelloOk') this.protocolVersion = answer.value.protocolVersion;
    this.sendBody(id, answer);
  }

  private subscribe(prefix: string, since?: bigint): { id: bigint; seq: bigint } {
    const store = this.core.store;
    if (since === undefined) {
      const id = this.nextSubscription++;
      const stop = store.subscribe({ prefix }, (event) => this.sendEvent(id, event));
      this.subscriptions.set(id, stop);
      return { id, seq: store.committedSeq };
    }
    // Throws ResumeTooOld (answered with the oldest seq held) before an id is taken.
    const id = this.nextSubscription;
    const catchUp = store.subscribeFrom({ prefix, since }, (event) => this.sendEvent(id, event));
    this.nextSubscription++;
    this.subscriptions.set(id, () => catchUp.stop());
    // Its logged changes go out from the next turn on, after this answer, as the client's
    // ring has room (catchUp below): none is held in memory, whatever the backlog.
    this.catchingUp.set(id, catchUp);
    return { id, seq: store.committedSeq };
  }

  private unsubscribe(id: bigint): boolean {
    const stop = this.subscriptions.get(id);
    if (stop === undefined) return false;
    stop();
    this.subscriptions.delete(id);
    this.catchingUp.delete(id);
    return true;
  }

  /**
   * Sends resumed subscriptions' logged changes while the client's ring has room: each reads
   * at most CATCH_UP_PER_TURN entries, and stops at the first event that does not fit (it
   * waits in the outbox, as any output). True when anything was read.
   */
  private catchUp(): boolean {
    let progressed = false;
    const more = (): boolean => this.outbox.isEmpty && !this.ended;
    for (const [id, catchUp] of this.catchingUp) {
      if (!more()) break;
      const before = catchUp.cursor;
      try {
        if (catchUp.pump(CATCH_UP_PER_TURN, more)) this.catchingUp.delete(id);
      } catch (error) {
        // Pruning overtook it: its client reads slower than the log's bounds allow.
        this.cut(
          `a resumed subscription fell behind the change log: ${IpcError.from(error).rawMessage}`,
        );
        return true;
      }
      if (catchUp.cursor !== before || catchUp.live) progressed = true;
    }
    return progressed;
  }

  private sendEvent(subscriptionId: bigint, event: StoreEvent): void {
    if (this.ended) return;
    this.output.event(subscriptionId, event);
    if (!this.ended && this.outbox.bytes > this.core.options.maxBacklogBytes) {
      this.cut(`subscriber fell behind: ${this.outbox.bytes} bytes of events unread`);
    }
  }

  private sendBody(id: bigint, body: ResponseBody): void {
    if (this.ended) return;
    this.output.answer(id, body);
  }

  private sendError(id: bigint, error: IpcError): void {
    if (this.ended) return;
    this.output.error(id, error);
  }
}
