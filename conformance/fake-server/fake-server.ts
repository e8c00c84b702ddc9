// A fake server for the mirror image of the hostile-client test (issue #7): it creates a
// channel segment laid out like the real one, answers Hello correctly, then answers the first
// request of each session with garbage chosen by the client's name (see `faults`). Clients of
// every runtime must fail that request with Malformed, Timeout or Unavailable, within their
// timeout. Prints "fake server ready" once clients may connect; stops on SIGTERM.
// Usage: node --import tsx fake-server/fake-server.ts <channel>
import { nodePlatform } from '@pluresdb-ipc/client-node';
import { ErrorCode } from '@pluresdb-ipc/protocol';
import { decodeFrame, encodeFrame, FrameBuilder } from '@pluresdb-ipc/protocol/messages';
import {
  ControlView,
  RecordKind,
  RingReader,
  RingView,
  RingWriter,
  ringDoorbell,
  ServerState,
  SlotState,
  SlotWord,
  segmentLayout,
  segmentName,
} from '@pluresdb-ipc/protocol/transport';

const [channel = ''] = process.argv.slice(2);
const platform = nodePlatform;
// More slots than probes of every runtime together (11 faults × 3 runtimes): each connect finds
// a free slot even when this process, busy or descheduled on a loaded machine, has not yet
// reset the slots of earlier probes (4 slots made a probe fail with ServerFull under CI load).
const layout = segmentLayout({ maxClients: 64, ringBytes: 65_536 });
const maxFrameBytes = 1 << 20;
const name = segmentName(platform.userId(), channel);
const segment = platform.createSegment(name, layout.segmentBytes);
const control = new ControlView(segment.buffer, segment.byteOffset, segment.byteLength);
const identity = platform.self();
control.initialize({
  layout,
  protocolMin: 1,
  protocolMax: 1,
  server: identity,
  maxFrameBytes,
  channel,
});
const builder = new FrameBuilder(1024);

/** What the fake server does to one session's response ring instead of answering. */
type Fault = (ring: RingView, slot: number) => void;

/** Writes a raw record header at the ring's write position and publishes `published` bytes. */
function rawRecord(
  ring: RingView,
  length: number,
  kind: number,
  payload: number[],
  published: number,
): void {
  const write = Atomics.load(ring.control, RingView.writeWord) >>> 0;
  const at = write & (ring.capacity - 1);
  const view = new DataView(ring.data.buffer, ring.data.byteOffset + at);
  view.setUint32(0, length, true);
  view.setUint32(4, kind, true);
  ring.data.set(payload, at + 8);
  Atomics.store(ring.control, RingView.writeWord, (write + published) | 0);
}

function storeWrite(ring: RingView, value: number): void {
  Atomics.store(ring.control, RingView.writeWord, value | 0);
}

/** Every fault, by the client name that asks for it. */
const faults: Record<string, Fault> = {
  'random-frame': (ring) => {
    const writer = new RingWriter(ring);
    writer.writeSome(
      Uint8Array.from({ length: 200 }, (_, i) => (i * 73 + 11) & 0xff),
      0,
    );
    writer.publish();
  },
  'write-counter-far-ahead': (ring) =>
    storeWrite(ring, (Atomics.load(ring.control, RingView.writeWord) >>> 0) + 3 * ring.capacity),
  'write-counter-behind': (ring) =>
    storeWrite(ring, (Atomics.load(ring.control, RingView.readWord) >>> 0) - 8),
  'write-counter-misaligned': (ring) =>
    storeWrite(ring, (Atomics.load(ring.control, RingView.writeWord) >>> 0) + 3),
  'huge-fragment': (ring) =>
    rawRecord(ring, 16, RecordKind.FragmentStart, [0, 0, 0, 0, 0, 1, 0, 0], 24),
  'half-frame': (ring) => rawRecord(ring, 1000, RecordKind.Frame, [1, 2, 3, 4], 16),
  'unknown-record-kind': (ring) => rawRecord(ring, 8, 77, [1, 2, 3, 4, 5, 6, 7, 8], 16),
  'stop-mid-fragment': (ring) =>
    rawRecord(ring, 8 + 64, RecordKind.FragmentStart, [0, 0, 8, 0, 0, 0, 0, 0], 80),
  silence: () => {},
  'garbage-end-code': (_, slot) => {
    Atomics.store(control.words, control.slotWord(layout, slot, SlotWord.endCode), 0x7fff_fff0);
    control.transition(layout, slot, SlotState.Serving, SlotState.Ended);
  },
  'garbage-server-state': () => control.setState(77 as ServerState),
};

interface Session {
  readonly reader: RingReader;
  readonly response: RingView;
  fault: Fault | undefined;
}
const sessions = new Map<number, Session>();

function wake(slot: number): void {
  ringDoorbell(control.words, control.slotWord(layout, slot, SlotWord.doorbell), segment.futex);
}

function answerHello(session: Session, id: bigint): void {
  const frame = encodeFrame(builder, {
    message: {
      type: 'Response',
      value: {
        id,
        code: ErrorCode.Ok,
        body: {
          type: 'HelloOk',
          value: {
            protocolVersion: 1,
            serverPid: identity.pid,
            serverProcessStart: identity.start,
            maxFrameBytes: BigInt(maxFrameBytes),
            maxValueBytes: BigInt(maxFrameBytes / 2),
            ringBytes: layout.ringBytes,
          },
        },
      },
    },
  });
  const writer = new RingWriter(session.response);
  writer.writeSome(frame, 0);
  writer.publish();
}

function serve(slot: number, session: Session): void {
  for (;;) {
    const bytes = session.reader.next();
    if (bytes === undefined) return;
    const message = decodeFrame(bytes).message;
    if (message.type !== 'Request') continue;
    const body = message.value.body;
    if (body.type === 'Hello') {
      session.fault = faults[body.value.clientName ?? ''];
      answerHello(session, message.value.id);
    } else {
      session.fault?.(session.response, slot);
    }
    wake(slot);
  }
}

function poll(): void {
  for (let slot = 0; slot < layout.maxClients; slot++) {
    const state = control.slotState(layout, slot);
    if (
      state === SlotState.Open &&
      control.transition(layout, slot, SlotState.Open, SlotState.Serving)
    ) {
      sessions.set(slot, {
        reader: new RingReader(control.requestRing(layout, slot), maxFrameBytes),
        response: control.responseRing(layout, slot),
        fault: undefined,
      });
    } else if (state === SlotState.Closed) {
      // A fault that broke the header's state is repaired once its own client has left.
      if (sessions.get(slot)?.fault === faults['garbage-server-state'])
        control.setState(ServerState.Ready);
      sessions.delete(slot);
      control.resetSlot(layout, slot);
    }
    const session = sessions.get(slot);
    if (session) serve(slot, session);
  }
}

control.setState(ServerState.Ready);
const timer = setInterval(poll, 1);
process.once('SIGTERM', () => {
  clearInterval(timer);
  platform.unlinkSegment(name);
  process.exit(0);
});
process.stdout.write('fake server ready\n');
