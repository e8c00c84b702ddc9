// The seam another system's privacy rules come through (spec/crdt.md#permissions; on Windows,
// ACLs: spec/transport.md#windows-data-directory): given `pathPrivacy`, the store makes what it
// creates private through it, checks the directory and its files through it at every open,
// and refuses to open when it refuses. The Windows rules themselves run in the Windows lane.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type PathPrivacy, type PrivateKind } from '../src/index.ts';
import { expectIpcError, removeTempDirs, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

/** A PathPrivacy that records what the store asks of it and refuses what it is told to. */
function recording(refuse: (path: string) => boolean = () => false) {
  const made: [string, PrivateKind][] = [];
  const checked: [string, PrivateKind, boolean][] = [];
  const privacy: PathPrivacy = {
    make: (path, kind) => {
      made.push([path, kind]);
    },
    check: (path, kind, fix) => {
      checked.push([path, kind, fix]);
      if (refuse(path) && !fix) throw new IpcError(ErrorCode.PermissionDenied, `${path} refused`);
      return refuse(path) ? `${path} tightened` : undefined;
    },
  };
  return { privacy, made, checked };
}

describe('pathPrivacy', () => {
  it('makes every directory and file the store creates private, and checks them on open', async () => {
    const root = tempDir();
    const dir = join(root, 'new', 'data');
    const { privacy, made, checked } = recording();
    const store = await openStore({ path: dir, pathPrivacy: privacy });
    await store.put('k', { v: 1 });
    await store.close();
    expect(made).toEqual([
      [join(root, 'new'), 'data directory'],
      [dir, 'data directory'],
      [join(dir, 'data.mdb'), 'store file'],
      [join(dir, 'data.mdb-lock'), 'store file'],
    ]);
    expect(checked.map(([path, kind]) => [path, kind])).toEqual([
      [dir, 'data directory'],
      [join(dir, 'data.mdb'), 'store file'],
      [join(dir, 'data.mdb-lock'), 'store file'],
    ]);

    // Reopening creates nothing, checks the same three.
    const again = recording();
    const reopened = await openStore({ path: dir, pathPrivacy: again.privacy });
    expect(reopened.get('k')).toEqual({ v: 1 });
    await reopened.close();
    expect(again.made).toEqual([]);
    expect(again.checked).toHaveLength(3);
  });

  it('makes a backup private too: the directories it creates and the copy', async () => {
    const { privacy, made } = recording();
    const store = await openStore({ path: join(tempDir(), 'data'), pathPrivacy: privacy });
    await store.put('k', { v: 1 });
    const target = join(tempDir(), 'backups', 'today');
    made.length = 0;
    const info = await store.backup(target);
    expect(made).toEqual([
      [resolve(target, '..'), 'data directory'],
      [target, 'data directory'],
      [info.path, 'store file'],
    ]);
    // An existing directory that is not empty is refused before anything is changed.
    const full = tempDir();
    writeFileSync(join(full, 'other'), 'x');
    made.length = 0;
    await expectIpcError(() => store.backup(full), ErrorCode.InvalidArgument);
    expect(made).toEqual([]);
    await store.close();
  });

  it('refuses to open what it refuses, and reports what it tightened with fixPermissions', async () => {
    const dir = join(tempDir(), 'shared');
    mkdirSync(dir);
    const strict = recording((path) => path === dir);
    const refused = await expectIpcError(
      () => openStore({ path: dir, pathPrivacy: strict.privacy }),
      ErrorCode.PermissionDenied,
    );
    expect(refused.message).toMatch(/refused/);
    const fixing = recording((path) => path === dir);
    const store = await openStore({ path: dir, pathPrivacy: fixing.privacy, fixPermissions: true });
    expect(store.tightened).toEqual([`${dir} tightened`]);
    expect(fixing.checked[0]).toEqual([dir, 'data directory', true]);
    await store.close();
  });
});
