// The Node binding against real processes: a segment shared with a child process, the real
// futex between them, and the OS errors translated into protocol codes.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import { checkLibcBinding } from '@pluresdb-ipc/protocol/testing';
import {
  PosixSegment,
  posixFutex,
  RingReader,
  RingView,
  RingWriter,
  waitForData,
  waitForSpace,
} from '@pluresdb-ipc/protocol/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeLibc } from '../src/node-libc.ts';
import { nodePlatform } from '../src/node-platform.ts';
import { stopFrame, stressWait, testRings, testSegmentBytes } from './fixtures/two-rings.ts';

const names: string[] = [];
const uniqueName = (): string => {
  const name = `/pluresdb-ipc-test-${process.pid}-${names.length}`;
  names.push(name);
  return name;
};
afterEach(() => {
  for (const name of names.splice(0)) PosixSegment.unlink(nodeLibc, name);
});

function startEchoPeer(name: string) {
  const script = fileURLToPath(new URL('./fixtures/echo-peer.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, name], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  const ready = new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('ready')) resolve();
    });
  });
  const exited = new Promise<string>((resolve) => child.on('exit', () => resolve(output)));
  return { ready, exited };
}

describe('Node shared memory (koffi)', () => {
  it('creates segments readable and writable by this user only', () => {
    const name = uniqueName();
    const segment = PosixSegment.create(nodeLibc, name, 8192);
    expect(statSync(`/dev/shm${name}`).mode & 0o777).toBe(0o600);
    expect(segment.size).toBe(8192);
    expect(segment.byteOffset + 8192).toBeLessThanOrEqual(segment.buffer.byteLength);
    segment.unmap();
  });

  it('refuses a missing segment with Unavailable and a second creation with an IpcError', () => {
    const name = uniqueName();
    expect(() => PosixSegment.open(nodeLibc, name, 8192)).toThrowError(
      expect.objectContaining({ code: ErrorCode.Unavailable, name: 'IpcError' }),
    );
    PosixSegment.create(nodeLibc, name, 8192).unmap();
    let second: unknown;
    try {
      PosixSegment.create(nodeLibc, name, 8192);
    } catch (error) {
      second = error;
    }
    expect(IpcError.is(second) && second.message).toMatch(/shm_open.*EEXIST/);
  });

  it('futex waits time out, and return at once when the word already changed', () => {
    const name = uniqueName();
    const segment = PosixSegment.create(nodeLibc, name, 8192);
    const futex = posixFutex(segment);
    const words = new Int32Array(segment.buffer, segment.byteOffset, 16);
    expect(futex.wait(words, 3, 0, 20)).toBe('timed-out');
    expect(futex.wait(words, 3, 1, 20)).toBe('not-equal');
    segment.unmap();
  });

  it('echoes 20,000 frames through a child process with the real futex and no lost wake-up', async () => {
    const name = uniqueName();
    const segment = PosixSegment.create(nodeLibc, name, testSegmentBytes);
    const futex = posixFutex(segment);
    const { toChild, toParent } = testRings(segment);
    const writer = new RingWriter(toChild);
    const reader = new RingReader(toParent, 1 << 20);
    const peer = startEchoPeer(name);
    await peer.ready;

    const count = 20_000;
    let timeouts = 0;
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; i++) {
      const frame = new Uint8Array(1 + (i % 200)).fill(i & 0xff);
      const readSeen = Atomics.load(toChild.control, RingView.readWord);
      if (writer.writeSome(frame, 0) !== frame.length) {
        if (waitForSpace(toChild, readSeen, futex, stressWait) === 'timed-out') timeouts++;
        i--;
        continue;
      }
      if (writer.publish()) futex.wake(toChild.control, RingView.writeWord);
      let echo = reader.next();
      while (echo === undefined && timeouts < 3) {
        if (waitForData(toParent, reader.position(), futex, stressWait) === 'timed-out') timeouts++;
        echo = reader.next();
      }
      if (reader.writerSleeping()) futex.wake(toParent.control, RingView.readWord);
      if (echo === undefined || echo.length !== frame.length || echo[0] !== (i & 0xff)) {
        expect.fail(`echo ${i} missing or wrong after ${timeouts} timeouts`);
      }
    }
    const micros = Number(process.hrtime.bigint() - started) / 1000 / count;
    writer.writeSome(stopFrame, 0);
    if (writer.publish()) futex.wake(toChild.control, RingView.writeWord);
    const peerOutput = await peer.exited;
    console.log(
      `cross-process echo: ${count} round trips, ${micros.toFixed(1)} µs each (2 µs spin, so mostly futex sleeps)`,
    );
    expect(timeouts).toBe(0);
    expect(peerOutput).toContain('timeouts 0');
    segment.unmap();
  });
});

describe('Node binding (koffi), shared checks', () => {
  it('passes the libc checks every runtime binding passes', async () => {
    const prefix = `/pdbi-test-node-${process.pid}`;
    names.push(`${prefix}-kept`);
    expect(await checkLibcBinding(nodeLibc, prefix, nodePlatform)).toEqual([]);
  });
});
