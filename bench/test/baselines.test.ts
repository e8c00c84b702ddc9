// The Unix-socket and shared-memory ping-pong baselines against their real child processes,
// run from source through tsx: framing, pipelining, ordering, errors and cleanup. Functional
// only (small counts): the numbers are the benchmark's business.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { ErrorCode } from '@pluresdb-ipc/protocol';
import { type ReadyChild, spawnReady } from '@pluresdb-ipc/server-node/child-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shmPingPongTarget } from '../src/baselines/shm-pingpong-client.ts';
import { UdsError, udsTarget } from '../src/baselines/uds-client.ts';
import { FrameReader, frameOf, MAX_FRAME_BYTES } from '../src/baselines/uds-server.ts';
import type { BenchTarget } from '../src/types.ts';

const encoder = new TextEncoder();
const script = (name: string) =>
  fileURLToPath(new URL(`../src/baselines/${name}.ts`, import.meta.url));

/** Starts a baseline child from source (`node --import tsx`) and waits for its READY line. */
function startChild(name: string, args: readonly string[]): Promise<ReadyChild> {
  return spawnReady(script(name), args, 'READY', {
    runtime: [process.execPath, '--import', 'tsx'],
    timeoutMs: 30_000,
  });
}

describe('length-prefixed framing', () => {
  it('splits frames across and within chunks, whatever the boundaries', () => {
    const bodies = ['{"a":1}', '', 'x'.repeat(70_000), '{"ü":"€"}'];
    const stream = Buffer.concat(bodies.map((body) => frameOf([body])));
    for (const step of [1, 3, 4, 5, 4096, stream.length]) {
      const reader = new FrameReader(MAX_FRAME_BYTES);
      const frames: string[] = [];
      let accepted = true;
      for (let at = 0; at < stream.length; at += step) {
        const chunk = stream.subarray(at, at + step);
        accepted &&= reader.push(chunk, (frame) => frames.push(frame.toString()));
      }
      expect(accepted).toBe(true);
      expect(frames).toEqual(bodies);
    }
  });

  it('refuses a header announcing more than the limit', () => {
    const header = Buffer.alloc(4);
    header.writeUInt32LE(MAX_FRAME_BYTES + 1);
    expect(new FrameReader(MAX_FRAME_BYTES).push(header, () => {})).toBe(false);
    header.writeUInt32LE(MAX_FRAME_BYTES);
    expect(new FrameReader(MAX_FRAME_BYTES).push(header, () => {})).toBe(true);
  });
});

describe('Unix-socket baseline', () => {
  let dir: string;
  let socketPath: string;
  let server: ReadyChild | undefined;
  let target: BenchTarget;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pdbi-uds-'));
    socketPath = join(dir, 'uds.sock');
    server = await startChild('uds-child', [join(dir, 'data'), socketPath]);
    target = await udsTarget(socketPath, 4);
  });

  afterAll(async () => {
    await target?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints READY <socketPath>', () => {
    expect(server?.readyLine).toBe(`READY ${socketPath}`);
    expect(target.transport).toBe('uds');
  });

  it('puts, gets and misses', async () => {
    const doc = { name: 'Ada Lovelace', langs: ['en', 'fr'], n: 1, nested: { ok: true } };
    const written = await target.put('user/1 ü', encoder.encode(JSON.stringify(doc)));
    expect(written).toMatchObject({ count: 1, hlc: expect.stringMatching(/^\d+$/) });
    expect(await target.get('user/1 ü')).toEqual(doc);
    expect(await target.get('no/such/key')).toBeUndefined();
  });

  it('answers 64 pipelined gets, each with its own key', async () => {
    await Promise.all(
      Array.from({ length: 64 }, (_, i) =>
        target.put(`pipe/${i}`, encoder.encode(JSON.stringify({ i }))),
      ),
    );
    const answers = await Promise.all(
      Array.from({ length: 64 }, (_, i) => target.get(`pipe/${i}`)),
    );
    expect(answers).toEqual(Array.from({ length: 64 }, (_, i) => ({ i })));
  });

  it('lists by prefix, in key order, at most limit', async () => {
    for (const n of [3, 1, 4, 0, 2]) {
      await target.put(`list/${n}`, encoder.encode(JSON.stringify({ n })));
    }
    await target.put('listed-not', encoder.encode('{"n":-1}'));
    expect(await target.list('list/', 3)).toEqual(
      [0, 1, 2].map((n) => ({ key: `list/${n}`, value: { n } })),
    );
    expect(((await target.list('list/', 0)) as { key: string }[]).map((item) => item.key)).toEqual(
      [0, 1, 2, 3, 4].map((n) => `list/${n}`),
    );
    expect(await target.list('nothing/', 10)).toEqual([]);
  });

  it('carries a 1 MiB document both ways', async () => {
    const doc = { blob: 'x'.repeat(1024 * 1024), tail: 'end' };
    await target.put('big', encoder.encode(JSON.stringify(doc)));
    expect(await target.get('big')).toEqual(doc);
  });

  it('rejects what the store refuses, with its code, and keeps the connection', async () => {
    const error = await target.put('bad', encoder.encode('[1,2]')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UdsError);
    expect((error as UdsError).code).toBe(ErrorCode.InvalidArgument);
    const empty = await target.get('').catch((e: unknown) => e);
    expect((empty as UdsError).code).toBe(ErrorCode.InvalidArgument);
    expect(await target.get('user/1 ü')).toMatchObject({ n: 1 });
  });

  it('closes a connection that announces an oversized frame, and serves on', async () => {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect(socketPath, () => resolve(s));
      s.once('error', reject);
    });
    socket.on('error', () => {});
    socket.resume();
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const oversized = Buffer.alloc(4);
    oversized.writeUInt32LE(MAX_FRAME_BYTES + 1);
    // Only the header: the server must not wait for (or buffer) the 16 MiB it announces.
    socket.write(Buffer.concat([frameOf(['{"id":1,"op":"get","key":"raw"}']), oversized]));
    await closed;
    expect(await target.get('user/1 ü')).toMatchObject({ n: 1 });
  });

  it('answers pipelined requests in order on one connection', async () => {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect(socketPath, () => resolve(s));
      s.once('error', reject);
    });
    const answers: { id: number; ok: boolean; value?: unknown }[] = [];
    const reader = new FrameReader(MAX_FRAME_BYTES);
    const done = new Promise<void>((resolve) =>
      socket.on('data', (chunk: Buffer) =>
        reader.push(chunk, (frame) => {
          answers.push(JSON.parse(frame.toString()));
          if (answers.length === 5) resolve();
        }),
      ),
    );
    socket.write(
      Buffer.concat([
        frameOf(['{"id":1,"op":"put","key":"order","value":{"v":1}}']),
        frameOf(['{"id":2,"op":"get","key":"order"}']),
        frameOf(['not json']),
        frameOf(['{"id":3,"op":"drop"}']),
        frameOf(['{"id":4,"op":"list","prefix":"order","limit":5}']),
      ]),
    );
    await done;
    socket.end();
    expect(answers.map((answer) => answer.id)).toEqual([1, 2, null, 3, 4]);
    expect(answers.map((answer) => answer.ok)).toEqual([true, true, false, false, true]);
    expect(answers[2]).toMatchObject({ error: 'request is not JSON', code: ErrorCode.Malformed });
    expect(answers[3]).toMatchObject({ code: ErrorCode.InvalidArgument });
    // The put (answered first although the store answered it last) is there for later requests.
    expect(await target.get('order')).toEqual({ v: 1 });
  });

  it('removes its socket file and exits 0 on SIGTERM', async () => {
    await target.close();
    expect(await server?.stop()).toBe(0);
    expect(existsSync(socketPath)).toBe(false);
    server = undefined;
  });
});

describe('shared-memory ping-pong baseline', () => {
  const segmentName = `/pdbi-test-pingpong-${process.pid}`;
  let echo: ReadyChild | undefined;

  beforeAll(async () => {
    echo = await startChild('shm-pingpong-child', [segmentName]);
  });

  afterAll(async () => {
    await echo?.stop();
    rmSync(`/dev/shm${segmentName}`, { force: true });
  });

  it('prints READY <segmentName>', () => {
    expect(echo?.readyLine).toBe(`READY ${segmentName}`);
  });

  it('answers 1000 pings, 16 in flight, and carries no data', async () => {
    const target = await shmPingPongTarget(segmentName);
    expect(target.transport).toBe('shm-pingpong');
    const ping = target.ping?.bind(target);
    if (ping === undefined) throw new Error('no ping');
    let done = 0;
    const lane = async () => {
      while (done < 1000) {
        done++;
        await ping();
      }
    };
    await Promise.all(Array.from({ length: 16 }, lane));
    expect(done).toBe(1000);
    await expect(target.get('k')).rejects.toThrow('shm-pingpong carries no data');
    await expect(target.put('k', encoder.encode('{}'))).rejects.toThrow(/carries no data/);
    await expect(target.list('', 1)).rejects.toThrow(/carries no data/);
    await target.close();
    await expect(ping()).rejects.toThrow(/closed/);
  });

  it('serves the next client after the first closed, one at a time', async () => {
    const first = await shmPingPongTarget(segmentName);
    await first.ping?.();
    await first.close();
    const second = await shmPingPongTarget(segmentName);
    // Sequential pings: the pump sleeps between some of them, so the futex wake path runs too.
    for (let i = 0; i < 20; i++) {
      await second.ping?.();
      if (i % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await second.close();
  });

  it('unlinks its segment and exits 0 on SIGTERM', async () => {
    expect(existsSync(`/dev/shm${segmentName}`)).toBe(true);
    expect(await echo?.stop()).toBe(0);
    expect(existsSync(`/dev/shm${segmentName}`)).toBe(false);
    echo = undefined;
  });
});
