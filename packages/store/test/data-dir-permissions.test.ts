// Other users can read nothing of a store (spec/crdt.md#permissions): what the store creates is
// 0700 (directories) and 0600 (files) whatever the umask, and an existing directory or file
// that other users can read or write, or that another user owns, is refused, or tightened
// with `fixPermissions` when it is this user's.
import { chmodSync, chownSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { ErrorCode } from '@pluresdb-ipc/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/index.ts';
import { expectIpcError, removeTempDirs, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

const mode = (path: string) => (statSync(path).mode & 0o7777).toString(8).padStart(4, '0');
const files = (dir: string) => [join(dir, 'data.mdb'), join(dir, 'data.mdb-lock')];

async function storeAt(path: string): Promise<void> {
  const store = await openStore({ path });
  await store.put('card', { number: '4111 1111 1111 1111' });
  await store.close();
}

describe('what the store creates', () => {
  // 0277 takes the owner's write bit: the store must put it back, or LMDB could not write.
  for (const umask of [0o022, 0o000, 0o277]) {
    it(`is 0700 and 0600 under umask ${umask.toString(8).padStart(3, '0')}`, async () => {
      const root = tempDir();
      const dir = join(root, 'share', 'pluresdb-ipc', 'default');
      const before = process.umask(umask);
      try {
        await storeAt(dir);
      } finally {
        process.umask(before);
      }
      // Every directory it had to create, the data directory's parents included.
      for (const path of [join(root, 'share'), join(root, 'share', 'pluresdb-ipc'), dir])
        expect(mode(path), path).toBe('0700');
      for (const path of files(dir)) expect(mode(path), path).toBe('0600');
      // Reopening changes nothing and is not refused.
      const store = await openStore({ path: dir });
      expect(store.get('card')).toEqual({ number: '4111 1111 1111 1111' });
      expect(store.tightened).toEqual([]);
      await store.close();
    });
  }
});

describe('an existing directory others can reach', () => {
  it('refuses a data directory the group or others can read or write, and leaves it as it was', async () => {
    for (const [bits, what] of [
      [0o755, 'read'],
      [0o750, 'read'],
      [0o703, 'write'],
      [0o777, 'read and write'],
    ] as const) {
      const dir = join(tempDir(), 'data');
      mkdirSync(dir, { mode: 0o700 });
      chmodSync(dir, bits);
      const error = await expectIpcError(
        () => openStore({ path: dir }),
        ErrorCode.PermissionDenied,
      );
      const octal = `0${bits.toString(8)}`;
      expect(error.message).toContain(
        `data directory ${dir} has mode ${octal}, so other users can ${what} it; ` +
          `run "chmod 700 ${dir}", or start the server with --fix-permissions`,
      );
      expect(mode(dir)).toBe(octal);
      expect(existsSync(join(dir, 'data.mdb'))).toBe(false);
    }
  });

  it('allows the search bit alone: it reads nothing of 0600 files', async () => {
    const dir = join(tempDir(), 'data');
    mkdirSync(dir, { mode: 0o700 });
    chmodSync(dir, 0o711);
    await storeAt(dir);
    expect(mode(dir)).toBe('0711');
  });

  it('refuses a store file others can read or write (data file or lock file)', async () => {
    for (const [name, bits] of [
      ['data.mdb', 0o644],
      ['data.mdb-lock', 0o664],
      ['data.mdb', 0o606],
    ] as const) {
      const dir = tempDir();
      await storeAt(dir);
      const file = join(dir, name);
      chmodSync(file, bits);
      const error = await expectIpcError(
        () => openStore({ path: dir }),
        ErrorCode.PermissionDenied,
      );
      expect(error.message).toContain(
        `store file ${file} has mode 0${bits.toString(8)}, so other users can`,
      );
      expect(error.message).toContain(`run "chmod 600 ${file}"`);
      expect(mode(file)).toBe(`0${bits.toString(8)}`);
    }
  });

  it('quotes a path with spaces in the chmod it suggests', async () => {
    const dir = join(tempDir(), "it's mine");
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const error = await expectIpcError(() => openStore({ path: dir }), ErrorCode.PermissionDenied);
    expect(error.message).toContain(`run "chmod 700 '${dir.replace("'", "'\\''")}'"`);
  });

  it('tightens them with fixPermissions, and says what it changed', async () => {
    const dir = tempDir();
    await storeAt(dir);
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'data.mdb'), 0o644);
    chmodSync(join(dir, 'data.mdb-lock'), 0o666);
    const store = await openStore({ path: dir, fixPermissions: true });
    expect(store.get('card')).toEqual({ number: '4111 1111 1111 1111' });
    expect(store.tightened).toEqual([
      `data directory ${dir}: mode 0755 tightened to 0700`,
      `store file ${join(dir, 'data.mdb')}: mode 0644 tightened to 0600`,
      `store file ${join(dir, 'data.mdb-lock')}: mode 0666 tightened to 0600`,
    ]);
    await store.close();
    expect(mode(dir)).toBe('0700');
    for (const path of files(dir)) expect(mode(path)).toBe('0600');
  });

  it("refuses another user's directory or file, even with fixPermissions", async (context) => {
    if (process.geteuid?.() !== 0) {
      console.log('data-dir-permissions: ownership test skipped: not root (cannot chown)');
      context.skip('not root');
      return;
    }
    const nobody = 65534;
    const dir = tempDir();
    await storeAt(dir);
    chownSync(dir, nobody, nobody);
    for (const fixPermissions of [false, true]) {
      const error = await expectIpcError(
        () => openStore({ path: dir, fixPermissions }),
        ErrorCode.PermissionDenied,
      );
      expect(error.message).toContain(
        `data directory ${dir} belongs to uid ${nobody}, not to this user (uid 0)`,
      );
    }
    expect(statSync(dir).uid).toBe(nobody);
    expect(mode(dir)).toBe('0700');
    chownSync(dir, 0, 0);
    const file = join(dir, 'data.mdb');
    chownSync(file, nobody, nobody);
    chmodSync(file, 0o644);
    const error = await expectIpcError(
      () => openStore({ path: dir, fixPermissions: true }),
      ErrorCode.PermissionDenied,
    );
    expect(error.message).toContain(`store file ${file} belongs to uid ${nobody}`);
    expect(mode(file)).toBe('0644');
  });
});
