// `pluresdb-ipc doctor [--clean] [--channel NAME] [--json]`: what this user's PluresDB IPC
// segments in /dev/shm are, which are stale, whether /dev/shm has room, and (with --clean)
// removal of exactly the stale ones. docs/operations.md explains the output.
import { lstatSync, statfsSync, unlinkSync } from 'node:fs';
import { channelLayout } from '../channel-layout.ts';
import { resolveServeOptions } from '../server-options.ts';
import { writeOut } from './closed-output.ts';
import { ExitCode, printJson, UsageError } from './output.ts';
import type { ParsedArgs } from './parse-args.ts';
import { inspectSegment, type SegmentReport, SHM_DIR, surveySegments } from './segment-survey.ts';
import { windowsDoctorCommand } from './windows-doctor.ts';

/** Free space of /dev/shm. */
interface ShmSpace {
  readonly path: string;
  readonly totalBytes: number;
  readonly freeBytes: number;
  readonly problems: string[];
}

/** Everything doctor found (the `--json` output). */
export interface DoctorReport {
  /** True when nothing is wrong after any cleaning: the exit code is then 0. */
  readonly ok: boolean;
  readonly uid: number;
  readonly shm: ShmSpace;
  /** The segments as found, before cleaning. */
  readonly segments: SegmentReport[];
  /** Names of the segments `--clean` removed. */
  readonly removed: string[];
}

/** Runs doctor; resolves with the exit code (0 all well, 1 a problem remains). */
export function doctorCommand(args: ParsedArgs): number {
  // No /dev/shm there: the channel given is looked at through the platform instead.
  if (process.platform === 'win32') return windowsDoctorCommand(args);
  const { values, positionals } = args;
  if (positionals.length > 1) throw new UsageError('"doctor" takes no operands');
  const uid = process.geteuid?.() ?? 0;
  const shm = shmSpace();
  const segments = shm.totalBytes > 0 ? surveySegments(uid, values.channel) : [];
  const removed = values.clean ? removeStale(segments, uid) : [];
  const remaining = segments.filter((segment) => !removed.includes(segment.name));
  const ok = shm.problems.length === 0 && remaining.every((s) => s.problems.length === 0);
  const report: DoctorReport = { ok, uid, shm, segments, removed };
  if (values.json) printJson(report);
  else writeOut(describeReport(report, values.clean === true));
  return ok ? ExitCode.Ok : ExitCode.Failed;
}

function shmSpace(): ShmSpace {
  let total = 0;
  let free = 0;
  try {
    const fs = statfsSync(SHM_DIR);
    total = fs.blocks * fs.bsize;
    free = fs.bavail * fs.bsize;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      path: SHM_DIR,
      totalBytes: 0,
      freeBytes: 0,
      problems: [`${SHM_DIR} is not usable (${code}): the transport needs it`],
    };
  }
  // A server with the default geometry must fit, or `serve` fails with TooLarge.
  const defaults = resolveServeOptions({});
  const needed = channelLayout(defaults).segmentBytes;
  const problems =
    free < needed
      ? [
          `only ${bytes(free)} free: a server with the defaults needs ${bytes(needed)} ` +
            `(${defaults.maxClients} clients × 2 rings of ${defaults.ringBytes / 1024} KiB); ` +
            'see docs/operations.md',
        ]
      : [];
  return { path: SHM_DIR, totalBytes: total, freeBytes: free, problems };
}

/**
 * Removes the stale segments of this user. Each is judged again right before its removal, by
 * the same inode, so a segment a new server created meanwhile under that name is kept.
 */
function removeStale(segments: readonly SegmentReport[], uid: number): string[] {
  const removed: string[] = [];
  for (const segment of segments) {
    if (segment.status !== 'stale' || segment.uid !== uid) continue;
    const again = inspectSegment(segment.name, uid);
    if (again?.status !== 'stale' || again.inode !== segment.inode) continue;
    try {
      if (lstatSync(segment.path).ino !== segment.inode) continue;
      unlinkSync(segment.path);
      removed.push(segment.name);
    } catch (error) {
      segment.problems.push(`could not remove: ${(error as NodeJS.ErrnoException).code}`);
    }
  }
  return removed;
}

/** The human-readable report. */
export function describeReport(report: DoctorReport, cleaning: boolean): string {
  const lines: string[] = [];
  const { shm, segments, removed } = report;
  if (shm.totalBytes > 0) {
    lines.push(`${shm.path}: ${mib(shm.freeBytes)} free of ${mib(shm.totalBytes)}`);
  }
  lines.push(
    segments.length === 0
      ? `No PluresDB IPC segments of uid ${report.uid}.`
      : `PluresDB IPC segments of uid ${report.uid}: ${segments.length}`,
  );
  for (const s of segments) {
    const channel =
      s.channel === null ? '(header incomplete)' : `channel ${JSON.stringify(s.channel)}`;
    lines.push(`  ${s.name}  ${channel}`);
    const server =
      s.serverPid === 0
        ? 'no server pid'
        : `server pid ${s.serverPid} ${{ live: 'running', stale: 'gone', starting: 'starting' }[s.status]}`;
    lines.push(
      `    ${s.status}: ${server}, state ${s.state}, ${s.clients} of ${s.maxClients} client slots ` +
        `(+${s.operatorSlots} operator) in use, ${mib(s.bytes)}, mode ${s.mode}, owner uid ${s.uid}`,
    );
    if (removed.includes(s.name)) lines.push('    removed');
  }
  const problems = [
    ...shm.problems,
    ...segments
      .filter((s) => !removed.includes(s.name))
      .flatMap((s) => s.problems.map((p) => `${s.name}: ${p}`)),
  ];
  if (problems.length > 0) {
    lines.push('Problems:', ...problems.map((p) => `  ${p}`));
    const stale = segments.filter((s) => s.status === 'stale' && !removed.includes(s.name));
    if (stale.length > 0 && !cleaning) {
      lines.push(
        `Run "pluresdb-ipc doctor --clean" to remove the ${stale.length} stale segment(s).`,
      );
    }
  } else {
    lines.push('No problems found.');
  }
  if (cleaning) lines.push(`Removed ${removed.length} stale segment(s).`);
  return `${lines.join('\n')}\n`;
}

function bytes(count: number): string {
  return `${count.toLocaleString('en-US')} bytes`;
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
