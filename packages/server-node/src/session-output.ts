// What a session writes to its client (spec/transport.md#back-pressure): answers, errors and
// events, encoded (answers through the server's FrameCodec, the hot ones by writing only what
// varies) and written to the response ring, or queued when they do not fit; and the client's
// doorbell, rung once per burst of output (BurstWake).
import { ErrorCode, IpcError, oldestSeqOf } from '@pluresdb-ipc/protocol';
import { EventKind, encodeFrame, type ResponseBody } from '@pluresdb-ipc/protocol/messages';
import { Outbox, RingView, RingWriter, ringDoorbell } from '@pluresdb-ipc/protocol/transport';
import type { StoreEvent } from '@pluresdb-ipc/store';
import { BurstWake } from './burst-wake.ts';
import type { ServerCore } from './server-core.ts';

/** One session's output to its client. */
export class SessionOutput {
  /** Output waiting for room in the client's ring (a copy of each frame's rest). */
  readonly outbox: Outbox;
  private readonly core: ServerCore;
  private readonly requestRing: RingView;
  private readonly responseRing: RingView;
  private readonly writer: RingWriter;
  private readonly wake: BurstWake;

  constructor(
    core: ServerCore,
    requestRing: RingView,
    responseRing: RingView,
    doorbellWord: number,
  ) {
    this.core = core;
    this.requestRing = requestRing;
    this.responseRing = responseRing;
    this.writer = new RingWriter(responseRing);
    this.outbox = new Outbox(this.writer, core.spill);
    const { control } = core;
    this.wake = new BurstWake(
      () => ringDoorbell(control.words, doorbellWord, core.futex),
      () => this.clientSleeping(),
    );
  }

  /** Sends the answer `body` to request `id` (`TooLarge` instead when it would not fit a frame). */
  answer(id: bigint, body: ResponseBody): void {
    const frame = this.core.frames.encodeAnswer(id, body);
    if (frame.length > this.core.options.maxFrameBytes) {
      this.error(
        id,
        new IpcError(
          ErrorCode.TooLarge,
          `the answer would be ${frame.length} bytes, over the ${this.core.options.maxFrameBytes}-byte frame limit`,
        ),
      );
      return;
    }
    this.send(frame);
  }

  /** Sends `error` as the answer to request `id`. */
  error(id: bigint, error: IpcError): void {
    const code = error.code === ErrorCode.Ok ? ErrorCode.Internal : error.code;
    const message =
      error.rawMessage.length > 4096 ? `${error.rawMessage.slice(0, 4096)}…` : error.rawMessage;
    this.send(
      encodeFrame(this.core.builder, {
        // ResumeTooOld carries the oldest seq the change log holds (spec/errors.md).
        message: { type: 'Response', value: { id, code, message, oldestSeq: oldestSeqOf(error) } },
      }),
    );
  }

  /** Sends a store event to subscription `subscriptionId`. */
  event(subscriptionId: bigint, event: StoreEvent): void {
    const frame = encodeFrame(this.core.builder, {
      message: {
        type: 'Event',
        value: {
          subscriptionId,
          seq: event.seq,
          kind: event.kind === 'delete' ? EventKind.Delete : EventKind.Upsert,
          key: event.id,
          value: event.json,
          hlc: event.hlc,
          actor: event.actor,
          clock: event.clock,
        },
      },
    });
    this.send(frame);
  }

  /** Writes queued output that fits now; true when anything was written. */
  flush(): boolean {
    const progressed = this.outbox.drain();
    if (progressed) this.publish();
    return progressed;
  }

  /** Rings the client's doorbell, once per burst of output (BurstWake). */
  wakeClient(): void {
    this.wake.request();
  }

  /** A burst of output ended (the session's turn did). */
  endBurst(): void {
    this.wake.endBurst();
  }

  /** Rings the client's doorbell now (the session ended). */
  ringNow(): void {
    this.wake.ringNow();
  }

  /** Writes a frame, or queues what does not fit (a copy: the builder is reused). */
  private send(frame: Uint8Array): void {
    if (this.outbox.isEmpty) {
      const sent = this.writer.writeSome(frame, 0);
      this.publish();
      if (sent === frame.length) return;
      this.outbox.add(frame, sent);
    } else {
      this.outbox.add(frame, 0);
    }
    // Only output that had to be queued is counted and checked: not the path of an answer
    // that fits in the ring.
    if (this.core.spill.queued > this.core.options.maxOutboundBytes) this.core.shedOutbound();
    // The loop may be asleep without having announced this backlog: make it look again.
    this.core.kick();
  }

  private publish(): void {
    if (this.writer.publish()) this.wakeClient();
  }

  /** True while the client announces a sleep on either of its rings. */
  private clientSleeping(): boolean {
    return (
      Atomics.load(this.responseRing.control, RingView.readerSleepingWord) !== 0 ||
      Atomics.load(this.requestRing.control, RingView.writerSleepingWord) !== 0
    );
  }
}
