// What `pluresdb-ipc doctor` sees in /dev/shm: this user's channel segments, read as plain
// files (tmpfs returns the live bytes), each judged live, stale or starting by the rule a
// starting server uses (spec/transport.md#starting-on-a-used-channel).
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  type Stats,
} from 'node:fs';
import { decodeUtf8 } from '@pluresdb-ipc/protocol/messages';
import {
  channelNameOffset,
  HeaderWord,
  MAX_CHANNEL_NAME_BYTES,
  MAX_CLIENTS,
  procIsAlive,
  SEGMENT_MAGIC,
  SlotState,
  SlotWord,
  segmentName,
  slotBytes,
  slotTableStart,
} from '@pluresdb-ipc/protocol/transport';

/** Where Linux keeps POSIX shared-memory objects. */
export const SHM_DIR = '/dev/shm';

/**
 * How long a segment without a complete header counts as being created rather than
 * abandoned. A starting server waits 1 s; doctor, which removes things, waits longer.
 */
const STARTING_GRACE_MS = 2_000;

const serverStates = ['Starting', 'Ready', 'Stopping', 'Stopped'] as const;

/** `live`: its server runs; `stale`: its server is gone; `starting`: being created now. */
export type SegmentStatus = 'live' | 'stale' | 'starting';

/** One segment as doctor reports it. */
export interface SegmentReport {
  /** The shm_open name, e.g. `/pdbi-3e8-ebada5168620c5fe`. */
  readonly name: string;
  readonly path: string;
  /** The channel named in the header; null while the header is incomplete. */
  readonly channel: string | null;
  readonly status: SegmentStatus;
  /** The server named in the header (0: none yet). */
  readonly serverPid: number;
  /** The header's server state (`Starting`, `Ready`, ...), or `unknown`. */
  readonly state: string;
  /** Slots a client holds (any slot state but Free). */
  readonly clients: number;
  /** Ordinary client slots (what `serve --max-clients` set). */
  readonly maxClients: number;
  /** Slots kept for operators, beyond `maxClients` (spec/transport.md#operator-slots). */
  readonly operatorSlots: number;
  readonly ringBytes: number;
  /** The segment's size in bytes. */
  readonly bytes: number;
  /** Permission bits as octal text, e.g. `0600`. */
  readonly mode: string;
  /** The file's owner. */
  readonly uid: number;
  /** The inode judged, so that a removal can check it removes that same file. */
  readonly inode: number;
  /** What is wrong with it, in words; empty when nothing is. */
  readonly problems: string[];
}

/** The name prefix of a user's segments (spec/transport.md#segment-names). */
export function userSegmentPrefix(uid: number): string {
  return `pdbi-${(uid >>> 0).toString(16)}-`;
}

/**
 * Surveys the segments of user `uid`, or only `channel`'s. A segment that vanishes meanwhile
 * is left out; one that cannot be read is reported as `live` with a problem, so that nothing
 * unread is ever judged stale.
 */
export function surveySegments(uid: number, channel?: string): SegmentReport[] {
  const names =
    channel === undefined
      ? readdirSync(SHM_DIR)
          .filter((name) => name.startsWith(userSegmentPrefix(uid)))
          .sort()
          .map((name) => `/${name}`)
      : [segmentName(uid, channel)];
  return names.flatMap((name) => inspectSegment(name, uid) ?? []);
}

/** Inspects one segment by its shm_open name; undefined when it does not exist. */
export function inspectSegment(name: string, uid: number): SegmentReport | undefined {
  const path = `${SHM_DIR}${name}`;
  let fd: number;
  try {
    // O_NOFOLLOW: anyone can put a symbolic link into /dev/shm; it is no segment of ours.
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    let stats: Stats;
    try {
      stats = lstatSync(path);
    } catch {
      return undefined; // removed meanwhile
    }
    return unreadable(
      name,
      path,
      stats,
      uid,
      `cannot be read (${code}): not judged, never removed`,
    );
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return unreadable(name, path, stats, uid, 'is not a regular file');
    return judge(name, path, fd, stats, uid);
  } finally {
    closeSync(fd);
  }
}

/** A segment doctor cannot judge: reported as `live`, so that nothing removes it. */
function unreadable(
  name: string,
  path: string,
  stats: Stats,
  uid: number,
  problem: string,
): SegmentReport {
  return {
    name,
    path,
    channel: null,
    status: 'live',
    serverPid: 0,
    state: 'unknown',
    clients: 0,
    maxClients: 0,
    operatorSlots: 0,
    ringBytes: 0,
    bytes: stats.size,
    mode: octal(stats.mode & 0o7777),
    uid: stats.uid,
    inode: stats.ino,
    problems: [...ownershipProblems(stats, uid), problem],
  };
}

/** A foreign owner or a wider mode than 0600, in words. */
function ownershipProblems(stats: Stats, uid: number): string[] {
  const problems: string[] = [];
  const mode = stats.mode & 0o7777;
  if (stats.uid !== uid) {
    problems.push(
      `owned by uid ${stats.uid}, not ${uid}: another user created it under your name; ` +
        'no server of yours can start on its channel (doctor never removes it: do so as root)',
    );
  }
  if (mode !== 0o600) problems.push(`mode ${octal(mode)}, not 0600: other users may read it`);
  return problems;
}

function judge(name: string, path: string, fd: number, stats: Stats, uid: number): SegmentReport {
  const header = readAt(fd, 0, slotTableStart);
  const word = (index: number): number =>
    header.length >= 512 ? header.readInt32LE(index * 4) : 0;
  const complete = header.length >= 512 && word(HeaderWord.magic) === SEGMENT_MAGIC;
  const serverPid = word(HeaderWord.serverPid) >>> 0;
  const start =
    (BigInt(word(HeaderWord.serverStartHigh) >>> 0) << 32n) |
    BigInt(word(HeaderWord.serverStartLow) >>> 0);
  const young = Date.now() - stats.ctimeMs < STARTING_GRACE_MS;
  // The server writes its pid first and the magic last: until the magic is there, only a
  // running pid with a matching start time, or youth, keeps a segment from being stale.
  let status: SegmentStatus;
  if (serverPid !== 0 && procIsAlive(readProc, { pid: serverPid, start })) status = 'live';
  else if (!complete && young) status = 'starting';
  else status = 'stale';

  const slots = complete ? word(HeaderWord.maxClients) : 0;
  const validSlots = slots >= 1 && slots <= MAX_CLIENTS ? slots : 0;
  const operatorSlots = complete ? word(HeaderWord.operatorSlots) : 0;
  const validOperatorSlots = operatorSlots >= 0 && operatorSlots < validSlots ? operatorSlots : 0;
  const problems = ownershipProblems(stats, uid);
  if (status === 'stale') {
    problems.push(
      serverPid === 0 ? 'stale: no server ever owned it' : `stale: server pid ${serverPid} is gone`,
    );
  }
  return {
    name,
    path,
    channel: complete ? channelOf(header) : null,
    status,
    serverPid,
    state: complete ? (serverStates[word(HeaderWord.state)] ?? 'unknown') : 'unknown',
    clients: countClients(fd, validSlots),
    maxClients: validSlots - validOperatorSlots,
    operatorSlots: validOperatorSlots,
    ringBytes: complete ? word(HeaderWord.ringBytes) : 0,
    bytes: stats.size,
    mode: octal(stats.mode & 0o7777),
    uid: stats.uid,
    inode: stats.ino,
    problems,
  };
}

function channelOf(header: Buffer): string | null {
  const length = header.readInt32LE(HeaderWord.channelNameLength * 4);
  if (length < 1 || length > MAX_CHANNEL_NAME_BYTES) return null;
  return decodeUtf8(header, channelNameOffset, channelNameOffset + length);
}

function countClients(fd: number, maxClients: number): number {
  const table = readAt(fd, slotTableStart, maxClients * slotBytes);
  let clients = 0;
  for (let slot = 0; (slot + 1) * slotBytes <= table.length; slot++) {
    if (table.readInt32LE(slot * slotBytes + SlotWord.state * 4) !== SlotState.Free) clients++;
  }
  return clients;
}

/** Up to `length` bytes at `offset` (fewer when the file is shorter). */
function readAt(fd: number, offset: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, bytes, got, length - got, offset + got);
    if (n === 0) break;
    got += n;
  }
  return bytes.subarray(0, got);
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}
