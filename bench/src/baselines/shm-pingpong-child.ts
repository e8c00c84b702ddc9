// Child-process entry of the bare shared-memory ping-pong (the transport's floor): `node
// dist/baselines/shm-pingpong-child.js <segmentName>` (a POSIX shm name, starting with "/").
// It creates the segment (it must not exist; layout in shm-pingpong-client.ts), prints exactly
// one stdout line `READY <segmentName>`, then echoes every frame it reads on ring A back on
// ring B, unchanged and in order, with the transport's waits: spin 200 µs, then futex-sleep up
// to 200 ms at a time, for as long as it lives. SIGTERM or SIGINT (or its parent's death)
// removes the segment's name and exits 0. Failures go to stderr, exit 1.
//
// The waits block the thread, as a dedicated echo loop may; the event loop gets a turn after
// every sleep that found nothing and every 50 ms of traffic, which is when signals are handled.
import process from 'node:process';
import { nodeLibc } from '@pluresdb-ipc/client-node';
import {
  now,
  PosixSegment,
  posixFutex,
  RingReader,
  RingView,
  RingWriter,
  waitForData,
  waitForSpace,
} from '@pluresdb-ipc/protocol/transport';
import {
  PINGPONG_MAX_FRAME_BYTES,
  PINGPONG_SEGMENT_BYTES,
  pingPongLayout,
} from './shm-pingpong-client.ts';

const name = process.argv[2];
if (name === undefined || !name.startsWith('/') || name.length < 2) {
  process.stderr.write('usage: node dist/baselines/shm-pingpong-child.js </segmentName>\n');
  process.exit(2);
}

/** The transport's waits (the IPC server's and client's defaults). */
const WAIT = { spinMicros: 200, timeoutMs: 200 };
/** Longest stretch of echoing without an event-loop turn, in ms. */
const TURN_MS = 50;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

let created = false;
try {
  const segment = PosixSegment.create(nodeLibc, name, PINGPONG_SEGMENT_BYTES);
  created = true;
  const stop = () => {
    PosixSegment.unlink(nodeLibc, name);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`READY ${name}\n`);
  await echo(segment);
  stop();
} catch (error) {
  if (created) PosixSegment.unlink(nodeLibc, name);
  process.stderr.write(
    `shm-pingpong-child: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
}

/** Echoes until the parent is gone (a signal ends the process from its handler). */
async function echo(segment: PosixSegment): Promise<void> {
  const futex = posixFutex(segment);
  const { toChild, toClient } = pingPongLayout(segment);
  const reader = new RingReader(toChild, PINGPONG_MAX_FRAME_BYTES);
  const writer = new RingWriter(toClient);
  const parent = process.ppid;
  let outgoing: Uint8Array | undefined;
  let sent = 0;
  let lastTurn = now();
  for (;;) {
    if (now() - lastTurn > TURN_MS) {
      await turn();
      lastTurn = now();
    }
    if (outgoing !== undefined) {
      const readSeen = Atomics.load(toClient.control, RingView.readWord);
      sent = writer.writeSome(outgoing, sent);
      if (writer.publish()) futex.wake(toClient.control, RingView.writeWord);
      if (sent === outgoing.length) outgoing = undefined;
      else if (waitForSpace(toClient, readSeen, futex, WAIT) === 'timed-out') {
        // The client stopped reading: let signals in, stop if the parent went away.
        await turn();
        lastTurn = now();
        if (process.ppid !== parent) return;
      }
      continue;
    }
    const frame = reader.next();
    if (reader.writerSleeping()) futex.wake(toChild.control, RingView.readWord);
    if (frame !== undefined) {
      outgoing = frame;
      sent = 0;
      continue;
    }
    const slept = waitForData(toChild, reader.position(), futex, WAIT);
    if (!reader.hasData()) {
      await turn();
      lastTurn = now();
      if (slept === 'timed-out' && process.ppid !== parent) return;
    }
  }
}
