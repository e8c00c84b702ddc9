// The Node binding maps segments over ArrayBuffers V8 allocated, never over foreign memory
// (spec/transport.md#mapping-in-a-caged-runtime): placement, sharing, many and big segments,
// GC, release, and the cage mode that stands in for Electron.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cagedMappingCount, PosixSegment, posixFutex } from '@pluresdb-ipc/protocol/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { ELECTRON_CAGE_ENV } from '../src/electron-cage.ts';
import { nodeLibc } from '../src/node-libc.ts';

const names: string[] = [];
let created = 0;
// A name no earlier test of this process used (the list is emptied after each test).
const uniqueName = (): string => {
  const name = `/pluresdb-ipc-cage-${process.pid}-${created++}`;
  names.push(name);
  return name;
};
afterEach(() => {
  for (const name of names.splice(0)) PosixSegment.unlink(nodeLibc, name);
});

const calls = nodeLibc.caged;
const pageSize = calls?.pageSize() ?? 0;
const bytesOf = (segment: PosixSegment) =>
  new Uint8Array(segment.buffer, segment.byteOffset, segment.size);
/** Lines of /proc/self/maps that map segment `name`. */
const mapsOf = (name: string) =>
  readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .filter((line) => line.endsWith(`/dev/shm${name}`));
const fixture = (file: string) => fileURLToPath(new URL(`./fixtures/${file}`, import.meta.url));

describe('segments mapped over V8-owned buffers', () => {
  it('place the segment at a page boundary inside the buffer, which addressOf reports', () => {
    expect(calls).toBeDefined();
    expect(pageSize).toBeGreaterThanOrEqual(4096);
    const name = uniqueName();
    // Not a whole number of pages: only whole pages are mapped, never past the object's end.
    const segment = PosixSegment.create(nodeLibc, name, 3 * pageSize + 100, true);
    const start = calls?.addressOf(segment.buffer) ?? 0n;
    const address = start + BigInt(segment.byteOffset);
    expect(address % BigInt(pageSize)).toBe(0n);
    expect(segment.byteOffset).toBeLessThan(pageSize);
    expect(segment.addressOf(0)).toBe(address);
    expect(segment.addressOf(64)).toBe(address + 64n);
    // The mapping of this name that starts at the address (the message shows them all). The
    // kernel pads addresses to 8 hex digits (066fe000): compare numbers, not text.
    const lines = mapsOf(name);
    expect(
      lines.some((line) => BigInt(`0x${line.slice(0, line.indexOf('-'))}`) === address),
      `0x${address.toString(16)} in ${JSON.stringify(lines)}`,
    ).toBe(true);
    const opened = PosixSegment.open(nodeLibc, name);
    bytesOf(segment)[segment.size - 1] = 9;
    expect(bytesOf(opened)[opened.size - 1]).toBe(9);
    // The futex finds a word through the view's offset in the buffer.
    const words = new Int32Array(segment.buffer, segment.byteOffset, 8);
    expect(posixFutex(segment).wait(words, 2, 1, 10)).toBe('not-equal');
    opened.unmap();
    segment.unmap();
  });

  it('keep many segments apart, each shared with a second mapping', () => {
    const count = 48;
    const pairs = Array.from({ length: count }, (_, i) => {
      const name = uniqueName();
      const created = PosixSegment.create(nodeLibc, name, 65_536 + i * 4096);
      return { created, opened: PosixSegment.open(nodeLibc, name) };
    });
    pairs.forEach(({ created }, i) => {
      bytesOf(created).fill(i + 1);
    });
    const wrong = pairs.filter(
      ({ opened }, i) => !bytesOf(opened).every((byte) => byte === i + 1),
    ).length;
    expect(wrong).toBe(0);
    for (const { created, opened } of pairs) {
      opened.unmap();
      created.unmap();
    }
  });

  it('share a 64 MiB segment whole', () => {
    const name = uniqueName();
    const size = 64 << 20;
    const created = PosixSegment.create(nodeLibc, name, size + 4096);
    const opened = PosixSegment.open(nodeLibc, name);
    const source = bytesOf(created);
    for (let at = 0; at < source.length; at += 4096) source[at] = (at >> 12) & 0xff;
    source[source.length - 1] = 0xee;
    const seen = bytesOf(opened);
    let wrong = 0;
    for (let at = 0; at < seen.length; at += 4096) if (seen[at] !== ((at >> 12) & 0xff)) wrong++;
    expect(wrong).toBe(0);
    expect(seen[seen.length - 1]).toBe(0xee);
    opened.unmap();
    created.unmap();
  });

  it('unmap once: the shared pages leave, views read zeros, a second unmap does nothing', () => {
    const name = uniqueName();
    const segment = PosixSegment.create(nodeLibc, name, 8192);
    const other = PosixSegment.open(nodeLibc, name);
    const view = bytesOf(segment);
    view[5] = 7;
    const held = cagedMappingCount();
    expect(mapsOf(name)).toHaveLength(2);
    segment.unmap();
    segment.unmap();
    expect(mapsOf(name)).toHaveLength(1);
    expect(cagedMappingCount()).toBe(held - 1);
    expect(view[5]).toBe(0);
    view[6] = 1; // private now: the other mapping never sees it
    expect(bytesOf(other)[6]).toBe(0);
    expect(bytesOf(other)[5]).toBe(7);
    expect(() => segment.addressOf(0)).toThrow(RangeError);
    other.unmap();
    expect(mapsOf(name)).toHaveLength(0);
  });

  it('leak nothing over 1,000 map/release cycles', () => {
    const name = uniqueName();
    PosixSegment.create(nodeLibc, name, 1 << 20, true).unmap();
    const mapLines = () => readFileSync('/proc/self/maps', 'utf8').split('\n').length;
    const cycle = () => {
      const segment = PosixSegment.open(nodeLibc, name);
      bytesOf(segment).fill(1, 0, 65_536);
      segment.unmap();
    };
    for (let i = 0; i < 50; i++) cycle();
    const before = { lines: mapLines(), rss: process.memoryUsage().rss, held: cagedMappingCount() };
    for (let i = 0; i < 1000; i++) cycle();
    const after = { lines: mapLines(), rss: process.memoryUsage().rss, held: cagedMappingCount() };
    console.log(
      `1,000 caged map/release cycles of 1 MiB: maps lines ${before.lines} → ${after.lines}, ` +
        `RSS ${(before.rss / 2 ** 20).toFixed(1)} → ${(after.rss / 2 ** 20).toFixed(1)} MiB`,
    );
    expect(mapsOf(name)).toHaveLength(0);
    expect(after.held).toBe(before.held);
    // A leak of one mapping per cycle would add 1,000 lines and up to 1 GiB.
    expect(after.lines - before.lines).toBeLessThan(50);
    expect(after.rss - before.rss).toBeLessThan(200 << 20);
  });

  it('never move under forced GCs and allocation pressure (child with --expose-gc)', () => {
    const name = uniqueName();
    const segment = PosixSegment.create(nodeLibc, name, 256 * 1024);
    const bytes = bytesOf(segment);
    bytes[0] = 0x5a;
    bytes[bytes.length - 1] = 0xa5;
    const run = spawnSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', fixture('caged-gc-child.ts'), name],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout.trim());
    expect(result).toEqual({ rounds: 100, moved: 0, lost: 0, mappings: 1, after: 0 });
    expect(bytes[1]).toBe(0x77);
    segment.unmap();
  });
});

describe('cage mode', () => {
  it(`${ELECTRON_CAGE_ENV}=1 makes koffi.view throw as in Electron, segments still map`, () => {
    const script = `
      const { nodeLibc, cageMode } = await import('@pluresdb-ipc/client-node');
      const { PosixSegment } = await import('@pluresdb-ipc/protocol/transport');
      const koffi = (await import('koffi')).default;
      const outcome = (run) => { try { run(); return 'no error'; } catch (e) { return e.code ?? e.message; } };
      const name = '/pluresdb-ipc-cage-mode-' + process.pid;
      const segment = PosixSegment.create(nodeLibc, name, 8192);
      new Uint8Array(segment.buffer, segment.byteOffset)[0] = 1;
      segment.unmap();
      PosixSegment.unlink(nodeLibc, name);
      const pointer = koffi.address(new Uint8Array(16));
      console.log(JSON.stringify({
        cageMode,
        koffiView: outcome(() => koffi.view(pointer, 16)),
        libcView: outcome(() => nodeLibc.view(pointer, 16)),
      }));`;
    const runIn = (cage: boolean) => {
      const env = { ...process.env, [ELECTRON_CAGE_ENV]: cage ? '1' : '' };
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        env,
        cwd: fileURLToPath(new URL('..', import.meta.url)),
      });
      expect(run.stderr).toBe('');
      return JSON.parse(run.stdout.trim());
    };
    expect(runIn(true)).toEqual({
      cageMode: true,
      koffiView: 'napi_no_external_buffers_allowed',
      libcView: 'napi_no_external_buffers_allowed',
    });
    // Outside cage mode koffi.view is koffi's own; the binding's view still refuses.
    expect(runIn(false)).toEqual({
      cageMode: false,
      koffiView: 'no error',
      libcView: 'napi_no_external_buffers_allowed',
    });
  });
});
