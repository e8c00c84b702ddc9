// Lost-wake-up stress: a producer thread and this consumer both spin only 2 µs before they
// sleep, and pause at random, so almost every frame crosses a sleep on one side. A lost
// wake-up would leave a side asleep until its 1 s timeout: the test demands none.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { atomicsFutex } from '../src/ring/futex.ts';
import { ringRegionBytes } from '../src/ring/ring-layout.ts';
import { RingReader } from '../src/ring/ring-reader.ts';
import { RingView } from '../src/ring/ring-view.ts';
import { waitForData } from '../src/ring/ring-wait.ts';
import { isStressFrame, maybePause } from './fixtures/stress-frames.ts';

const capacity = 8192;
const frames = 60_000;
const options = { spinMicros: 2, timeoutMs: 1000 };

describe('ring wake protocol', () => {
  it(`moves ${frames} frames between threads through constant sleeps without losing a wake-up`, async () => {
    const buffer = new SharedArrayBuffer(ringRegionBytes(capacity));
    const ring = new RingView(buffer, 0, capacity);
    const reader = new RingReader(ring, 1 << 20);
    const producer = new Worker(new URL('./fixtures/ts-worker.mjs', import.meta.url), {
      workerData: {
        module: new URL('./fixtures/ring-producer.worker.ts', import.meta.url).href,
        buffer,
        capacity,
        frames,
        options,
      },
    });
    let producerFailed: unknown;
    const producerReady = new Promise<void>((resolve) => producer.once('message', () => resolve()));
    const producerDone = new Promise<{ timeouts: number }>((resolve, reject) => {
      producer.on('message', (message: unknown) => {
        if (message !== 'ready') resolve(message as { timeouts: number });
      });
      producer.once('error', reject);
      producer.once('exit', () => resolve({ timeouts: -1 })); // terminated before reporting
    }).catch((error: unknown) => {
      producerFailed = error;
      return { timeouts: -1 };
    });
    await Promise.race([producerReady, producerDone]);
    let timeouts = 0;
    // Bounded: a producer that died or stalled ends the loop after a few 1 s timeouts.
    for (let received = 0; received < frames && timeouts < 3; ) {
      const frame = reader.next();
      if (reader.writerSleeping()) atomicsFutex.wake(ring.control, RingView.readWord);
      if (frame === undefined) {
        if (waitForData(ring, reader.position(), atomicsFutex, options) === 'timed-out') timeouts++;
        continue;
      }
      if (!isStressFrame(frame, received)) expect.fail(`frame ${received} arrived wrong`);
      received++;
      maybePause(received, 2);
    }
    if (timeouts > 0) await producer.terminate(); // the consumer gave up: do not wait for it
    const producerResult = await producerDone;
    expect(producerFailed).toBeUndefined();
    await producer.terminate();
    expect({ consumerTimeouts: timeouts, producerTimeouts: producerResult.timeouts }).toEqual({
      consumerTimeouts: 0,
      producerTimeouts: 0,
    });
    expect(reader.next()).toBeUndefined();
  });
});
