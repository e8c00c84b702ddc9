// Baseline 4, the transport's floor: an 8-byte frame to the echo child (shm-pingpong-child.ts)
// and back through two shared-memory rings, with no protocol, no codec and no store. What a
// PluresDB IPC round trip costs beyond this is the protocol's and the store's share.
//
// The segment: a 64-byte header whose first word holds the pid of the client using it (one at
// a time: each ring has a single producer and a single consumer), then ring A (client → child)
// and ring B (child → client), each as the transport lays out a ring. A ping is 8 bytes, the
// target's nonce then a sequence number, both u32 LE; the child echoes every frame unchanged,
// in order, so answers come back first in, first out. Echoes carrying another nonce were left
// over by an earlier client and are skipped.
import { existsSync } from 'node:fs';
import {
  type AsyncFutex,
  type LibcCalls,
  now,
  PosixSegment,
  posixFutex,
  RingReader,
  RingView,
  RingWriter,
  ringRegionBytes,
} from '@pluresdb-ipc/protocol/transport';
import type { BenchTarget } from '../types.ts';

/** Data capacity of each ring: 4,096 pings in flight before a ping waits for room. */
export const PINGPONG_RING_CAPACITY = 64 * 1024;
/** Bytes before the rings: the owner word on its own cache line. */
const HEADER_BYTES = 64;
/** The segment's size. */
export const PINGPONG_SEGMENT_BYTES = HEADER_BYTES + 2 * ringRegionBytes(PINGPONG_RING_CAPACITY);
/** A ping's size. */
export const PING_BYTES = 8;
/** Largest frame the child echoes. */
export const PINGPONG_MAX_FRAME_BYTES = 1024;

/** The views of a ping-pong segment. */
export interface PingPongLayout {
  /** Word 0: the pid of the client using the segment, 0 when none. */
  readonly header: Int32Array;
  /** Ring A: client → child. */
  readonly toChild: RingView;
  /** Ring B: child → client. */
  readonly toClient: RingView;
}

/** Lays the segment out over `buffer` (the mapping of {@link PINGPONG_SEGMENT_BYTES}). */
export function pingPongLayout(segment: {
  buffer: ArrayBuffer;
  byteOffset: number;
}): PingPongLayout {
  const region = ringRegionBytes(PINGPONG_RING_CAPACITY);
  // A caged mapping (the Node binding) starts inside its buffer.
  const { buffer, byteOffset: at } = segment;
  return {
    header: new Int32Array(buffer, at, HEADER_BYTES / 4),
    toChild: new RingView(buffer, at + HEADER_BYTES, PINGPONG_RING_CAPACITY, at),
    toClient: new RingView(buffer, at + HEADER_BYTES + region, PINGPONG_RING_CAPACITY, at),
  };
}

/** Spin this long for an echo before sleeping, in ms (the IPC client's default 200 µs). */
const SPIN_MS = 0.2;
/** Longest busy-wait before the event loop gets a turn, in ms (as the IPC client's pump). */
const SPIN_SLICE_MS = 0.05;
/** Longest single futex sleep, in ms. */
const SLEEP_MS = 200;
/** Sleeps in a row without an echo, pings outstanding, before the child counts as gone (5 s). */
const SILENT_SLEEPS = 25;

/** A ping waiting for its echo. */
interface Waiting {
  readonly seq: number;
  resolve(): void;
  reject(error: Error): void;
}

/** The libc binding of the runtime running this file. */
async function runtimeLibc(): Promise<LibcCalls> {
  if ('Bun' in globalThis) return (await import('@pluresdb-ipc/client-bun')).bunLibc;
  if ('Deno' in globalThis) return (await import('@pluresdb-ipc/client-deno')).denoLibc;
  return (await import('@pluresdb-ipc/client-node')).nodeLibc;
}

/** Takes the segment for this process; throws while another live process uses it. */
function claim(header: Int32Array, pid: number, name: string): void {
  for (;;) {
    const owner = Atomics.compareExchange(header, 0, 0, pid);
    if (owner === 0 || owner === pid) return;
    if (existsSync(`/proc/${owner}`)) {
      throw new Error(`shm-pingpong segment ${name} is in use by process ${owner}`);
    }
    // Its owner died without letting go: take it over, unless someone else just did.
    if (Atomics.compareExchange(header, 0, owner, pid) === owner) return;
  }
}

/**
 * Opens the echo child's segment `segmentName` (made by shm-pingpong-child.ts) as a target
 * whose ping() is one 8-byte round trip. Several pings may be in flight.
 */
export async function shmPingPongTarget(segmentName: string): Promise<BenchTarget> {
  const libc = await runtimeLibc();
  const segment = PosixSegment.open(libc, segmentName, PINGPONG_SEGMENT_BYTES);
  const { header, toChild, toClient } = pingPongLayout(segment);
  const pid = libc.getpid();
  try {
    claim(header, pid, segmentName);
  } catch (error) {
    segment.unmap();
    throw error;
  }
  return new PingPong(segment, posixFutex(segment), header, toChild, toClient, pid);
}

const noData = () => Promise.reject(new Error('shm-pingpong carries no data'));
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The ping-pong target: pings written on ring A, echoes read from ring B by a pump. */
class PingPong implements BenchTarget {
  readonly transport = 'shm-pingpong' as const;
  readonly get = noData;
  readonly put = noData;
  readonly list = noData;
  readonly #segment: PosixSegment;
  readonly #futex: AsyncFutex;
  readonly #header: Int32Array;
  readonly #pid: number;
  readonly #toChild: RingView;
  readonly #toClient: RingView;
  readonly #writer: RingWriter;
  readonly #reader: RingReader;
  /** Marks this target's pings (echoes of anyone else's are skipped). */
  readonly #nonce = (Math.random() * 2 ** 32) >>> 0;
  #seq = 0;
  /** Pings sent or queued, oldest first: their echoes arrive in this order. */
  readonly #waiting: Waiting[] = [];
  /** Pings that did not fit in ring A yet, oldest first. */
  readonly #outbox: Uint8Array[] = [];
  #pumping: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  #failure: Error | undefined;

  constructor(
    segment: PosixSegment,
    futex: AsyncFutex,
    header: Int32Array,
    toChild: RingView,
    toClient: RingView,
    pid: number,
  ) {
    this.#segment = segment;
    this.#futex = futex;
    this.#header = header;
    this.#pid = pid;
    this.#toChild = toChild;
    this.#toClient = toClient;
    this.#writer = new RingWriter(toChild);
    this.#reader = new RingReader(toClient, PINGPONG_MAX_FRAME_BYTES);
  }

  ping(): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#closing !== undefined) {
      return Promise.reject(new Error('shm-pingpong target is closed'));
    }
    return new Promise<void>((resolve, reject) => {
      const seq = this.#seq;
      this.#seq = (seq + 1) >>> 0;
      this.#waiting.push({ seq, resolve, reject });
      const frame = new Uint8Array(PING_BYTES);
      const view = new DataView(frame.buffer);
      view.setUint32(0, this.#nonce, true);
      view.setUint32(4, seq, true);
      this.#outbox.push(frame);
      this.#send();
      this.#ensurePump();
    });
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      // The pings in flight finish (or fail) first: the mapping must outlive every wait on it.
      while (this.#pumping) await this.#pumping;
      Atomics.compareExchange(this.#header, 0, this.#pid, 0);
      this.#segment.unmap();
    })();
    return this.#closing;
  }

  #ensurePump(): void {
    if (this.#pumping !== undefined) return;
    this.#pumping = this.#pump().finally(() => {
      this.#pumping = undefined;
      // A ping sent after the pump's last look at the queue, before this ran.
      if (this.#waiting.length > 0) this.#ensurePump();
    });
  }

  /** Writes the queued pings that fit into ring A and wakes the child if it sleeps. */
  #send(): void {
    const outbox = this.#outbox;
    let sent = 0;
    while (sent < outbox.length) {
      const frame = outbox[sent] as Uint8Array;
      if (this.#writer.writeSome(frame, 0) !== frame.length) break;
      sent++;
    }
    if (sent === 0) return;
    outbox.splice(0, sent);
    if (this.#writer.publish()) this.#futex.wake(this.#toChild.control, RingView.writeWord);
  }

  /** Reads every echo that arrived; true when there was one. */
  #drain(): boolean {
    let progressed = false;
    for (;;) {
      const echo = this.#reader.next();
      if (echo === undefined) break;
      progressed = true;
      const view = new DataView(echo.buffer, echo.byteOffset, echo.byteLength);
      if (echo.length !== PING_BYTES || view.getUint32(0, true) !== this.#nonce) continue;
      const waiting = this.#waiting.shift();
      if (waiting?.seq !== view.getUint32(4, true)) {
        return this.#fail(new Error(`shm-pingpong echo out of order (expected ${waiting?.seq})`));
      }
      waiting.resolve();
    }
    if (this.#reader.writerSleeping()) this.#futex.wake(this.#toClient.control, RingView.readWord);
    if (this.#outbox.length > 0) this.#send();
    return progressed;
  }

  /** Busy-waits up to `ms` for an echo. */
  #spin(ms: number): boolean {
    const until = now() + ms;
    do {
      if (this.#reader.hasData()) return true;
    } while (now() < until);
    return false;
  }

  /**
   * Reads echoes while pings are in flight: drains, spins in slices between event-loop turns
   * for SPIN_MS after the last echo, then sleeps on ring B's write counter (off the main
   * thread), as the IPC client's pump does. Ends when no ping is left in flight.
   */
  async #pump(): Promise<void> {
    // Start once the code that sent runs to its end: pings sent in a row all go out first.
    await undefined;
    let lastProgress = now();
    let silent = 0;
    while (this.#waiting.length > 0) {
      if (this.#drain()) {
        // Nothing left in flight: stop, and the next ping starts a new pump without an
        // event-loop turn, as the IPC client's pump does (with the turn, this "floor" cost
        // as much as a whole IPC ping).
        if (this.#waiting.length === 0) return;
        // A macrotask turn: the callers of settled pings send their next ones before this
        // loop spins again.
        await turn();
        lastProgress = now();
        silent = 0;
        continue;
      }
      const idle = now() - lastProgress;
      if (idle < SPIN_MS) {
        if (!this.#spin(Math.min(SPIN_SLICE_MS, SPIN_MS - idle))) await turn();
        continue;
      }
      if ((await this.#sleep()) === 'timed-out' && ++silent >= SILENT_SLEEPS) {
        this.#fail(new Error(`shm-pingpong: no echo for ${(SILENT_SLEEPS * SLEEP_MS) / 1000} s`));
        return;
      }
      lastProgress = now();
    }
  }

  /** One futex sleep until the child publishes on ring B (spec/transport.md#wake-protocol). */
  async #sleep(): Promise<'ready' | 'timed-out'> {
    const control = this.#toClient.control;
    const expected = this.#reader.position() | 0;
    Atomics.store(control, RingView.readerSleepingWord, 1);
    try {
      if (Atomics.load(control, RingView.writeWord) !== expected) return 'ready';
      const slept = await this.#futex.waitAsync(control, RingView.writeWord, expected, SLEEP_MS);
      return slept === 'timed-out' ? 'timed-out' : 'ready';
    } finally {
      Atomics.store(control, RingView.readerSleepingWord, 0);
    }
  }

  /** Fails every ping in flight and every later one. */
  #fail(error: Error): false {
    this.#failure ??= error;
    for (const waiting of this.#waiting.splice(0)) waiting.reject(error);
    this.#outbox.length = 0;
    return false;
  }
}
