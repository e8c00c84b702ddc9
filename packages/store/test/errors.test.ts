// Directories the store must refuse, with a typed error and without touching the data:
// locked by a live process, newer format, read-only, corrupt (spec/crdt.md#errors).
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { ErrorCode } from '@pluresdb-ipc/protocol';
import { open } from 'lmdb';
import { afterAll, describe, expect, it } from 'vitest';
import { FORMAT_VERSION, openStore } from '../src/index.ts';
import { storeError } from '../src/store-errors.ts';
import { exited, LineReader, startFixture } from './child.ts';
import { expectIpcError, removeTempDirs, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function storeWithData(): Promise<string> {
  const path = tempDir();
  const store = await openStore({ path });
  for (let i = 0; i < 100; i++) await store.put(`k${i}`, { i, text: 'x'.repeat(200) });
  await store.close();
  return path;
}

describe('locked', () => {
  it('refuses a directory another live process holds, and takes it over once that dies', async () => {
    const path = tempDir();
    const child = startFixture('hold-store', [path]);
    const out = new LineReader(child);
    await out.waitFor((line) => line === 'ready');
    const error = await expectIpcError(() => openStore({ path }), ErrorCode.StoreLocked);
    expect(error.message).toContain(String(child.pid));
    await expectIpcError(() => openStore({ path, writemap: true }), ErrorCode.StoreLocked);
    child.kill('SIGKILL');
    await exited(child);
    const store = await openStore({ path });
    expect(store.get('held')).toEqual({ pid: child.pid });
    await store.close();
  });

  it('refuses a second open in the same process until the first closes', async () => {
    const path = tempDir();
    const first = await openStore({ path });
    await expectIpcError(() => openStore({ path }), ErrorCode.StoreLocked);
    await first.close();
    const second = await openStore({ path });
    await second.close();
  });

  it('refuses the second of two opens started together on an existing store', async () => {
    // With writemap an existing file is inspected read-only (an await) before the writable
    // open: the directory must already count as open during that wait.
    const path = await storeWithData();
    const results = await Promise.allSettled([
      openStore({ path, writemap: true }),
      openStore({ path, writemap: true }),
    ]);
    const opened = results.filter((result) => result.status === 'fulfilled');
    const refused = results.filter((result) => result.status === 'rejected');
    expect(opened).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(Reflect.get(refused[0]?.reason as object, 'code')).toBe(ErrorCode.StoreLocked);
    await (
      opened[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof openStore>>>
    ).value.close();
  });
});

describe('format version', () => {
  it('refuses a newer format and leaves the file untouched', async () => {
    const path = await storeWithData();
    const env = open({ path: join(path, 'data.mdb') });
    await env
      .openDB<string, string>({ name: 'pluresdb-meta', encoding: 'string' })
      .put('format', String(FORMAT_VERSION + 1));
    await env.close();
    const before = hash(join(path, 'data.mdb'));
    await expectIpcError(() => openStore({ path }), ErrorCode.StoreVersion);
    await expectIpcError(() => openStore({ path, writemap: true }), ErrorCode.StoreVersion);
    expect(hash(join(path, 'data.mdb'))).toBe(before);
  });
});

describe('format 1', () => {
  it('is upgraded to 2 in place: its records kept, the change log starting empty', async () => {
    // A format 1 store: written before the change log existed (spec/crdt.md#storage-format).
    const path = await storeWithData();
    const file = join(path, 'data.mdb');
    const env = open({ path: file });
    await env
      .openDB<string, string>({ name: 'pluresdb-meta', encoding: 'string' })
      .put('format', '1');
    await env.openDB({ name: 'changes' }).drop();
    await env.close();
    const store = await openStore({ path });
    const records = store.stats().records;
    expect(records).toBeGreaterThan(0);
    expect(store.stats().logEntries).toBe(0);
    await store.put('after-upgrade', { ok: true });
    expect(store.stats().logEntries).toBe(1);
    await store.close();
    const reread = open({ path: file, readOnly: true });
    expect(
      reread.openDB<string, string>({ name: 'pluresdb-meta', encoding: 'string' }).get('format'),
    ).toBe('2');
    await reread.close();
  });
});

describe('read-only', () => {
  it('refuses a directory it cannot write', async (context) => {
    const path = await storeWithData();
    const missing = join(path, 'sub', 'store');
    const isRoot = process.getuid?.() === 0;
    if (!isRoot) {
      chmodSync(path, 0o555);
      try {
        await expectIpcError(() => openStore({ path }), ErrorCode.StoreReadOnly);
        await expectIpcError(() => openStore({ path: missing }), ErrorCode.StoreReadOnly);
      } finally {
        chmodSync(path, 0o755);
      }
      return;
    }
    // Root writes anywhere, so the attempt runs as user "nobody" in a child process. The
    // directory stays root's and mode 0755: readable, not writable, for nobody.
    chmodSync(path, 0o755);
    // tsx caches compiled files under TMPDIR: give nobody one it can write.
    const scratch = tempDir('nobody');
    chmodSync(scratch, 0o777);
    for (const target of [path, missing]) {
      const env = { ...process.env, TMPDIR: scratch };
      const child = startFixture('try-open', [target], { uid: 65534, gid: 65534, env });
      const out = new LineReader(child);
      await exited(child);
      if (out.lines[0] === undefined) {
        // A checkout under a directory only its owner may enter: nobody cannot load the
        // fixture. server-node's start-failures.test.ts runs the same refusal as another user
        // from a staged copy.
        const error = out.stderr.split('\n').find((line) => /Error/.test(line)) ?? out.stderr;
        const why = `nobody cannot run the fixture: ${error.trim()}`;
        console.log(`errors: read-only test skipped: ${why}`);
        context.skip(why);
        return;
      }
      const result = JSON.parse(out.lines[0]) as { code?: number; message?: string };
      expect(result.code, `${result.message ?? ''} ${out.stderr}`).toBe(ErrorCode.StoreReadOnly);
    }
  });
});

describe('corrupt', () => {
  it('refuses a data file that is not LMDB, without touching it', async () => {
    const path = tempDir();
    const file = join(path, 'data.mdb');
    writeFileSync(file, Buffer.alloc(16384, 0x5a), { mode: 0o600 });
    const before = hash(file);
    await expectIpcError(() => openStore({ path }), ErrorCode.StoreCorrupt);
    expect(hash(file)).toBe(before);
  });

  it('refuses a truncated data file', async () => {
    const path = await storeWithData();
    const file = join(path, 'data.mdb');
    truncateSync(file, 12288);
    const before = hash(file);
    await expectIpcError(() => openStore({ path }), ErrorCode.StoreCorrupt);
    expect(hash(file)).toBe(before);
  });

  it('refuses a short file that cannot hold the meta pages', async () => {
    const path = tempDir();
    writeFileSync(join(path, 'data.mdb'), 'not a database', { mode: 0o600 });
    await expectIpcError(() => openStore({ path }), ErrorCode.StoreCorrupt);
  });

  it('refuses an LMDB environment that is not a store', async () => {
    const path = tempDir();
    const env = open({ path: join(path, 'data.mdb') });
    await env.openDB({ name: 'somebody-else' }).put('x', 1);
    await env.close();
    // lmdb-js made them 0644 (umask 022); the store would refuse them for that first.
    for (const name of ['data.mdb', 'data.mdb-lock']) chmodSync(join(path, name), 0o600);
    const before = hash(join(path, 'data.mdb'));
    await expectIpcError(() => openStore({ path }), ErrorCode.StoreCorrupt);
    // A writable map would extend the file: it is looked at read-only first.
    await expectIpcError(() => openStore({ path, writemap: true }), ErrorCode.StoreCorrupt);
    expect(hash(join(path, 'data.mdb'))).toBe(before);
  });

  it('reports a damaged record as StoreCorrupt', async () => {
    const path = await storeWithData();
    const env = open({ path: join(path, 'data.mdb') });
    await env.openDB({ name: 'records', encoding: 'binary' }).put('k1', Buffer.from([9, 9, 9]));
    await env.close();
    const store = await openStore({ path });
    await expectIpcError(() => store.get('k1'), ErrorCode.StoreCorrupt);
    await expectIpcError(() => store.patch('k1', { a: 1 }), ErrorCode.StoreCorrupt);
    expect(store.get('k2')).toMatchObject({ i: 2 });
    await store.close();
  });

  it('refuses a path that is a file', async () => {
    const path = join(tempDir(), 'file');
    mkdirSync(path, { mode: 0o700 });
    writeFileSync(join(path, 'data.mdb'), '', { mode: 0o600 });
    const store = await openStore({ path }); // an empty data file is a new store
    await store.close();
    const file = join(tempDir(), 'plain');
    writeFileSync(file, 'x');
    await expectIpcError(() => openStore({ path: file }), ErrorCode.InvalidArgument);
  });
});

describe('failed commits', () => {
  // LMDB reports a commit of several pages that came out short as EIO (code 5), not ENOSPC:
  // measured with 16 puts committed together on a full 20 MiB tmpfs.
  const eio = Object.assign(new Error('Input/output error'), { code: 5 });

  it('names a full disk when an I/O error comes with under 1 MiB free', () => {
    const error = storeError(eio, '/data', 'committing to', () => 4096);
    expect(error.code).toBe(ErrorCode.Internal);
    expect(error.message).toContain('committing to /data: disk full (4096 bytes free)');
    expect(error.cause).toBe(eio);
  });

  it('calls it an I/O error when there is room, or the free space is unknown', () => {
    expect(storeError(eio, '/data', 'committing to', () => 2 ** 30).message).toContain(
      'committing to /data: I/O error (Input/output error)',
    );
    expect(storeError(eio, '/data', 'committing to', () => undefined).message).toContain(
      'I/O error',
    );
    // The real file system under a temp directory has room.
    expect(storeError(eio, tempDir(), 'committing to').message).toContain('I/O error');
  });

  it('names ENOSPC and EDQUOT as disk or quota full, whatever the free space', () => {
    for (const code of [28, 122, 'ENOSPC']) {
      const error = Object.assign(new Error('No space left on device'), { code });
      expect(storeError(error, '/data', 'committing to', () => 2 ** 30).message).toContain(
        'disk or quota full',
      );
    }
  });
});
