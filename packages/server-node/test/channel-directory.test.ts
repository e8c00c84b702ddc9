// Every channel name maps to a folder of its own directly under the data root
// (docs/operations.md#what-lives-where): `--channel ..` once put data.mdb in ~/.local/share
// itself, and `--channel .` in the folder holding every channel's folder.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import { describe, expect, it } from 'vitest';
import { channelDirectoryName, NAME_MAX } from '../src/channel-directory.ts';
import { dataRoot, defaultDataDir } from '../src/server-options.ts';
import { cliScript, collectRun } from './fixtures/server-process.ts';

const root = '/data-root/pluresdb-ipc';
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

const cases: readonly string[] = [
  'default',
  '.',
  '..',
  '...',
  '....',
  './x',
  '../x',
  'a/..',
  'a/../..',
  '/',
  '/etc',
  '%2e%2e',
  '%2E%2E',
  '%2E',
  '.%2E',
  '%2e.',
  'a\\..\\..',
  '..\\',
  '\\',
  ' ..',
  '.. ',
  '~',
  '~root',
  'a b',
  'my.app',
  'é',
  'e\u0301', // the same letter, decomposed: another name, another folder
  '．．', // fullwidth full stops
  '\u2024\u2024', // one dot leaders
  '日本語のチャンネル',
  '🦀'.repeat(50), // 200 bytes of UTF-8, 1,800 encoded
  '/'.repeat(200),
  '.'.repeat(200),
  'x'.repeat(200),
  `${'x'.repeat(198)}%~`,
  `${'a'.repeat(85)}%`.repeat(2),
];

/** What every folder name must be, whatever the channel. */
function expectOwnFolder(channel: string, name: string): void {
  const dir = join(root, name);
  expect(dirname(dir), channel).toBe(root);
  expect(basename(dir), channel).toBe(name);
  expect(resolve(root, name), channel).toBe(dir);
  expect(name, channel).not.toMatch(/^\.{1,2}$/);
  expect(name, channel).not.toMatch(/[/\\\0]/);
  expect(bytes(name), channel).toBeLessThanOrEqual(NAME_MAX);
  expect(name.length, channel).toBeGreaterThan(0);
}

describe('channel folder names', () => {
  it('puts every channel in a folder of its own, directly under the root', () => {
    const seen = new Map<string, string>();
    for (const channel of cases) {
      const name = channelDirectoryName(channel);
      expectOwnFolder(channel, name);
      // No two channels share a folder.
      expect(seen.get(name), `${channel} and ${seen.get(name)}`).toBeUndefined();
      seen.set(name, channel);
    }
  });

  it('escapes the names a file system reads as the root or its parent', () => {
    expect(channelDirectoryName('.')).toBe('%2E');
    expect(channelDirectoryName('..')).toBe('%2E%2E');
    // Their look-alikes keep their encodings: `%` is escaped, so no collision.
    expect(channelDirectoryName('%2E')).toBe('%252E');
    expect(channelDirectoryName('%2e%2e')).toBe('%252e%252e');
    expect(channelDirectoryName('...')).toBe('...');
    expect(channelDirectoryName('a/..')).toBe('a%2F..');
    expect(channelDirectoryName('../x')).toBe('..%2Fx');
    expect(channelDirectoryName('a\\..')).toBe('a%5C..');
  });

  it('keeps the folders existing channels always had', () => {
    for (const channel of cases) {
      const encoded = encodeURIComponent(channel);
      if (channel === '.' || channel === '..' || bytes(encoded) > NAME_MAX) continue;
      expect(channelDirectoryName(channel)).toBe(encoded);
    }
    expect(channelDirectoryName('my.app')).toBe('my.app');
    expect(channelDirectoryName('a b')).toBe('a%20b');
    expect(channelDirectoryName('é')).toBe('%C3%A9');
  });

  it('shortens a name longer than a path component may be, without splitting an escape', () => {
    const crab = channelDirectoryName('🦀'.repeat(50));
    // 198 bytes of whole escapes (16 crabs and a half: the folder name is ASCII anyway).
    expect(crab).toMatch(/^(%[0-9A-F]{2}){66}%~[0-9a-f]{32}$/);
    expect(crab.startsWith(encodeURIComponent('🦀'.repeat(16)))).toBe(true);
    const slashes = channelDirectoryName('/'.repeat(200));
    expect(slashes).toMatch(/^(%2F){66}%~[0-9a-f]{32}$/);
    // Two long names with the same first 200 encoded bytes differ by their hash.
    const a = channelDirectoryName(`${'/'.repeat(150)}a`);
    const b = channelDirectoryName(`${'/'.repeat(150)}b`);
    expect(a.slice(0, 198)).toBe(b.slice(0, 198));
    expect(a).not.toBe(b);
    // A 200-byte ASCII name fits as it is.
    expect(channelDirectoryName('x'.repeat(200))).toBe('x'.repeat(200));
  });

  it('refuses what is not a channel name: empty, too long, control characters, lone surrogates', () => {
    for (const channel of ['', 'x'.repeat(201), 'a\nb', 'a\0b', '\uD800', 'a\u007f']) {
      let caught: unknown;
      try {
        channelDirectoryName(channel);
      } catch (error) {
        caught = error;
      }
      expect(IpcError.is(caught), JSON.stringify(channel)).toBe(true);
      expect((caught as IpcError).code).toBe(ErrorCode.InvalidArgument);
    }
  });

  it('defaultDataDir and dataRoot follow $XDG_DATA_HOME', () => {
    const saved = { xdg: process.env.XDG_DATA_HOME, data: process.env.PLURESDB_IPC_DATA };
    try {
      delete process.env.PLURESDB_IPC_DATA;
      process.env.XDG_DATA_HOME = '/x/share';
      expect(dataRoot()).toBe('/x/share/pluresdb-ipc');
      expect(defaultDataDir('..')).toBe('/x/share/pluresdb-ipc/%2E%2E');
      expect(defaultDataDir('.')).toBe('/x/share/pluresdb-ipc/%2E');
      expect(() => defaultDataDir('')).toThrow(/channel name must be 1 to 200 bytes/);
    } finally {
      for (const [key, value] of [
        ['XDG_DATA_HOME', saved.xdg],
        ['PLURESDB_IPC_DATA', saved.data],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});

describe('a server on the default data directory', () => {
  it('keeps the data of channels "." and ".." in folders of their own', async () => {
    const home = mkdtempSync(join(tmpdir(), 'pdbi-xdg-'));
    try {
      const share = join(home, 'share');
      for (const channel of ['..', '.']) {
        const child = spawn(process.execPath, [cliScript, 'serve', '--channel', channel], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, XDG_DATA_HOME: share, PLURESDB_IPC_DATA: '' },
        });
        child.stdout.once('data', () => child.kill('SIGTERM'));
        const run = await collectRun(child, 20_000);
        expect(run.stdout, run.stderr).toContain('pluresdb-ipc ready');
        expect(run.code, run.stderr).toBe(0);
      }
      // Nothing but the root in XDG_DATA_HOME, and nothing but the two folders in the root.
      expect(readdirSync(share)).toEqual(['pluresdb-ipc']);
      expect(readdirSync(join(share, 'pluresdb-ipc')).sort()).toEqual(['%2E', '%2E%2E']);
      for (const folder of ['%2E', '%2E%2E'])
        expect(existsSync(join(share, 'pluresdb-ipc', folder, 'data.mdb'))).toBe(true);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
