// Owning a channel (spec/transport.md#liveness): create its segment, or take over one left by
// a dead server, or refuse while a live server owns it.
import {
  ControlView,
  ErrorCode,
  IpcError,
  type Platform,
  type SharedSegment,
  segmentName,
} from '@pluresdb-ipc/protocol';

/** How long a segment may show no owner (pid 0) before it counts as abandoned. */
const STARTING_GRACE_MS = 1_000;

/**
 * Creates the segment of `channel` with `size` bytes. A segment left by a server that is no
 * longer running is removed first; one whose server runs makes this fail with `Unavailable`
 * naming that server's pid.
 */
export async function createChannelSegment(
  platform: Platform,
  channel: string,
  size: number,
): Promise<SharedSegment> {
  const name = segmentName(platform.userId(), channel);
  const deadline = Date.now() + STARTING_GRACE_MS;
  for (;;) {
    try {
      return platform.createSegment(name, size);
    } catch (error) {
      if (!isExists(error)) throw error;
    }
    const verdict = inspectExisting(platform, name);
    if (verdict.kind === 'live') {
      throw new IpcError(
        ErrorCode.Unavailable,
        `channel "${channel}" is served by a running server (pid ${verdict.pid}); stop it first`,
      );
    }
    if (verdict.kind === 'starting' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      continue;
    }
    // Left by a dead server (or a creator that died before writing its pid): remove, retry.
    platform.unlinkSegment(name);
  }
}

type Verdict = { kind: 'live'; pid: number } | { kind: 'starting' } | { kind: 'stale' };

function inspectExisting(platform: Platform, name: string): Verdict {
  let segment: SharedSegment;
  try {
    segment = platform.openSegment(name);
  } catch {
    return { kind: 'stale' }; // vanished, or zero bytes: nothing to protect
  }
  try {
    if (segment.buffer.byteLength < 512) return { kind: 'stale' };
    const control = new ControlView(segment.buffer);
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
