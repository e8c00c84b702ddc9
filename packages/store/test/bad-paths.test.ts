// A data directory path that cannot be created fails at once, naming the first path that
// failed and the OS's reason (spec/crdt.md#permissions). Each attempt runs in a child process
// killed after 10 s: Node's recursive mkdir used to spin forever on a path under /proc.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { ErrorCode } from '@pluresdb-ipc/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { exited, LineReader, startFixture } from './child.ts';
import { removeTempDirs, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

interface Outcome {
  readonly ok?: boolean;
  readonly code?: number;
  readonly message?: string;
}

/**
 * Opens a store at `path` in a child (as `uid` when given); its outcome, a hang, or the
 * reason the child could not run at all (another user cannot reach a checkout under a 0700
 * directory).
 */
async function tryOpen(
  path: string,
  uid?: number,
): Promise<Outcome | 'hung' | { cannotRun: string }> {
  const scratch = tempDir('scratch');
  chmodSync(scratch, 0o777);
  const started = Date.now();
  const child = startFixture('try-open', [path], {
    ...(uid === undefined ? {} : { uid, gid: uid }),
    // tsx caches compiled files under TMPDIR: one every user can write.
    env: { ...process.env, TMPDIR: scratch },
  });
  const out = new LineReader(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const code = await exited(child);
  clearTimeout(timer);
  console.log(`bad-paths: ${path}: ${Date.now() - started} ms, ${out.lines[0] ?? code}`);
  if (code === 'SIGKILL') return 'hung';
  if (out.lines[0] === undefined && uid !== undefined)
    return { cannotRun: out.stderr.trim().split('\n')[0] ?? `exit ${code}` };
  return JSON.parse(out.lines[0] ?? '{}') as Outcome;
}

describe('a data directory that cannot be created', () => {
  it('fails under /proc with ENOENT from mkdir, instead of retrying forever', async () => {
    const outcome = await tryOpen('/proc/pluresdb-test/data');
    expect(outcome).not.toBe('hung');
    expect(outcome).toMatchObject({ code: ErrorCode.InvalidArgument });
    expect((outcome as Outcome).message).toMatch(
      /creating directory \/proc\/pluresdb-test: failed \(ENOENT: no such file or directory, mkdir '\/proc\/pluresdb-test'\)/,
    );
  });

  it('names the file that stands where a parent directory should be', async () => {
    const file = join(tempDir(), 'plain');
    writeFileSync(file, 'x');
    const outcome = await tryOpen(join(file, 'a', 'b'));
    expect(outcome).toMatchObject({ code: ErrorCode.InvalidArgument });
    expect((outcome as Outcome).message).toContain(`${file} is not a directory`);
  });

  it('reports EACCES for the first directory it may not create', async (context) => {
    if (process.geteuid?.() !== 0) {
      // Not root: the test runs as its own user, on a directory it made unwritable.
      const parent = tempDir();
      chmodSync(parent, 0o500);
      try {
        const outcome = await tryOpen(join(parent, 'a', 'b'));
        expect(outcome).toMatchObject({ code: ErrorCode.StoreReadOnly });
        expect((outcome as Outcome).message).toContain(
          `creating directory ${join(parent, 'a')}: not writable (EACCES`,
        );
      } finally {
        chmodSync(parent, 0o700);
      }
      context.skip('the as-nobody variant needs root');
      return;
    }
    const parent = tempDir();
    chmodSync(parent, 0o755); // root's, readable but not writable by nobody
    const outcome = await tryOpen(join(parent, 'a', 'b'), 65534);
    if (typeof outcome === 'object' && 'cannotRun' in outcome) {
      console.log(
        `bad-paths: EACCES test skipped: nobody cannot run the fixture: ${outcome.cannotRun}`,
      );
      context.skip('nobody cannot run the fixture');
      return;
    }
    expect(outcome).toMatchObject({ code: ErrorCode.StoreReadOnly });
    expect((outcome as Outcome).message).toContain(
      `creating directory ${join(parent, 'a')}: not writable (EACCES: permission denied, mkdir`,
    );
  });

  it('reports EROFS on a read-only file system, not ENOENT', async (context) => {
    const mount = tempDir();
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', mount], {
        stdio: 'ignore',
      });
    } catch {
      console.log('bad-paths: EROFS test skipped: cannot mount a tmpfs (needs root)');
      context.skip('cannot mount a tmpfs');
      return;
    }
    try {
      const outcome = await tryOpen(join(mount, 'a', 'b', 'c'));
      expect(outcome).toMatchObject({ code: ErrorCode.StoreReadOnly });
      expect((outcome as Outcome).message).toContain(
        `creating directory ${join(mount, 'a')}: not writable (EROFS: read-only file system, mkdir`,
      );
      // An existing directory on it: the same reason, from the access check.
      execFileSync('mount', ['-o', 'remount,rw', mount]);
      mkdirSync(join(mount, 'data'), { mode: 0o700 });
      execFileSync('mount', ['-o', 'remount,ro', mount]);
      const existing = await tryOpen(join(mount, 'data'));
      expect(existing).toMatchObject({ code: ErrorCode.StoreReadOnly });
      expect((existing as Outcome).message).toContain('EROFS');
    } finally {
      execFileSync('umount', [mount]);
    }
  });
});
