// Owning a channel (spec/transport.md#liveness): create its segment, or take over one left by
// a dead server, or refuse while a live server owns it.
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import {
  ControlView,
  type Platform,
  type SharedSegment,
  segmentName,
} from '@pluresdb-ipc/protocol/transport';

/** How long a segment may show no owner (pid 0) before it counts as abandoned. */
const STARTING_GRACE_MS = 1_000;

/** Removals of a stale segment before giving up (one suffices unless something recreates it). */
const MAX_TAKEOVERS = 5;

/**
 * Where names follow handles (Windows), how long a stale name may take to go away by itself
 * (another process holds it for an instant: spec/transport.md#windows-segments).
 */
const STALE_RELEASE_MS = 2_000;

/**
 * Creates the segment of `channel` with `size` bytes. A segment left by a server that is no
 * longer running is removed first; one whose server runs makes this fail with `Unavailable`
 * naming that server's pid; one this user may not open (another user created it under this
 * user's name) makes it fail with `PermissionDenied`.
 */
export async function createChannelSegment(
  platform: Platform,
  channel: string,
  size: number,
): Promise<SharedSegment> {
  const name = segmentName(platform.userId(), channel);
  const deadline = Date.now() + STARTING_GRACE_MS;
  let releaseDeadline: number | undefined;
  for (let takeovers = 0; ; ) {
    try {
      return platform.createSegment(name, size);
    } catch (error) {
      if (!isExists(error)) throw error;
    }
    const verdict = inspectExisting(platform, name);
    // A foreign one: removing it would fail too (/dev/shm is sticky), the loop would not end.
    refuseTaken(verdict, channel, name);
    if (verdict.kind === 'starting' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      continue;
    }
    if (platform.namesFollowHandles === true) {
      // Nothing to remove: the name goes once no process holds it. Wait for that, bounded.
      releaseDeadline ??= Date.now() + STALE_RELEASE_MS;
      if (Date.now() >= releaseDeadline) {
        throw new IpcError(
          ErrorCode.Unavailable,
          `channel "${channel}": the segment ${name} of a server that is not running is still held by another process`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      continue;
    }
    if (++takeovers > MAX_TAKEOVERS) {
      throw new IpcError(
        ErrorCode.Unavailable,
        `channel "${channel}": a stale segment /dev/shm${name} could not be removed`,
      );
    }
    // Left by a dead server (or a creator that died before writing its pid): remove, retry.
    platform.unlinkSegment(name);
  }
}

/**
 * Fails as {@link createChannelSegment} would when a live server owns `channel`'s segment
 * (`Unavailable`, naming its pid) or another user's file holds its name (`PermissionDenied`);
 * creates and removes nothing. A server calls it before it opens its store, so that a second
 * server on a live channel is told who serves it before anything else is touched.
 */
export function refuseTakenChannel(platform: Platform, channel: string): void {
  const name = segmentName(platform.userId(), channel);
  refuseTaken(inspectExisting(platform, name), channel, name);
}

function refuseTaken(verdict: Verdict, channel: string, name: string): void {
  if (verdict.kind === 'live') {
    throw new IpcError(
      ErrorCode.Unavailable,
      `channel "${channel}" is served by a running server (pid ${verdict.pid}); stop it first`,
    );
  }
  if (verdict.kind === 'foreign') {
    throw new IpcError(
      ErrorCode.PermissionDenied,
      `channel "${channel}": /dev/shm${name} exists but this user cannot open it (${verdict.why}); ` +
        'another user created it: remove it as root',
    );
  }
}

type Verdict =
  | { kind: 'live'; pid: number }
  | { kind: 'starting' }
  | { kind: 'stale' }
  | { kind: 'foreign'; why: string };

function inspectExisting(platform: Platform, name: string): Verdict {
  let segment: SharedSegment;
  try {
    segment = platform.openSegment(name);
  } catch (error) {
    if (IpcError.is(error) && error.code === ErrorCode.PermissionDenied) {
      return { kind: 'foreign', why: error.rawMessage };
    }
    return { kind: 'stale' }; // vanished, or zero bytes: nothing to protect
  }
  try {
    if (segment.byteLength < 512) return { kind: 'stale' };
    const control = new ControlView(segment.buffer, segment.byteOffset, segment.byteLength);
    const server = control.serverIdentity();
    if (server.pid === 0) return { kind: 'starting' };
    return platform.isAlive(server) ? { kind: 'live', pid: server.pid } : { kind: 'stale' };
  } finally {
    segment.unmap();
  }
}

function isExists(error: unknown): boolean {
  return IpcError.is(error) && /EEXIST/.test(error.message);
}
