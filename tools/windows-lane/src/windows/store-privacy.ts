// The lane's check of the store's ACLs (spec/crdt.md#permissions, Windows): a server on a new
// data directory makes it and its files private to the user; a directory others may read is
// refused with PermissionDenied, then tightened by --fix-permissions; a backup's directory
// and copy are private as well. Wine derives file descriptors from Unix modes (PLATFORMS.md),
// which is enough to see both sides.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, nodeKernel32 } from '@pluresdb-ipc/client-node';
import { currentUserSid, pathSddl, windowsPathPrivacy } from '@pluresdb-ipc/protocol/transport';
import { freshChannel } from '../../../../conformance/src/harness/server-control.ts';

const cliScript = createRequire(import.meta.url).resolve('@pluresdb-ipc/server-node/cli');
const READY_PREFIX = 'pluresdb-ipc ready:';

/** Runs the check; returns what it saw, or throws naming what went wrong. */
export async function storePrivacy(): Promise<string> {
  const calls = nodeKernel32;
  const privacy = windowsPathPrivacy(calls, currentUserSid(calls));
  const base = mkdtempSync(join(tmpdir(), 'pdbi-acl-'));
  try {
    // A new directory: made private, and so are the files LMDB creates in it.
    const fresh = join(base, 'new', 'data');
    const first = await serve(['--data', fresh]);
    if (!first.ready)
      throw new Error(`the server did not start on a new directory: ${first.stderr}`);
    await stop(first.child);
    for (const path of [fresh, join(fresh, 'data.mdb'), join(fresh, 'data.mdb-lock')]) {
      const kind = path === fresh ? 'data directory' : 'store file';
      try {
        privacy.check(path, kind, false);
      } catch (error) {
        throw new Error(`${path} (${pathSddl(calls, path)}) is not private: ${error}`);
      }
    }
    // A directory made without the store (Everyone may read it): refused, then tightened.
    const shared = join(base, 'shared');
    mkdirSync(shared);
    const before = pathSddl(calls, shared);
    const refused = await serve(['--data', shared]);
    if (refused.ready) {
      await stop(refused.child);
      throw new Error(`the server started on a directory others may read (${before})`);
    }
    if (!refused.stderr.includes('PermissionDenied'))
      throw new Error(`a shared directory (${before}) gave: ${refused.stderr}`);
    const fixed = await serve(['--data', shared, '--fix-permissions']);
    if (!fixed.ready) throw new Error(`--fix-permissions did not start: ${fixed.stderr}`);
    // A backup's directory and copy are private too.
    const backupDir = join(base, 'backups', 'today');
    const client = await connect(fixed.channel, { timeoutMs: 60_000 });
    let copy: string;
    try {
      copy = (await client.backup(backupDir)).path ?? '';
    } finally {
      await client.close();
    }
    await stop(fixed.child);
    privacy.check(shared, 'data directory', false);
    privacy.check(backupDir, 'data directory', false);
    privacy.check(copy, 'store file', false);
    return `new directory ${pathSddl(calls, fresh)}; ${before} refused, then tightened to ${pathSddl(calls, shared)}; backup copy ${pathSddl(calls, copy)}`;
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

/** Starts `serve` on a fresh channel; resolves once it is ready or has exited. */
async function serve(
  args: readonly string[],
): Promise<{ ready: boolean; stderr: string; child: ChildProcess; channel: string }> {
  const channel = freshChannel('acl');
  const child = spawn(process.execPath, [cliScript, 'serve', '--channel', channel, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const ready = await new Promise<boolean>((resolve) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes(READY_PREFIX)) resolve(true);
    });
    child.once('exit', () => resolve(false));
  });
  return { ready, stderr, child, channel };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}
