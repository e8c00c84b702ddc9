// `pluresdb-ipc doctor` on Windows (spec/transport.md#windows-stale-segments-and-doctor). There
// is no /dev/shm to list and named objects cannot be listed without undocumented calls, so
// doctor looks at the one channel given (default "default") through the platform, as a client
// would: its locator, the instance it names, the header's server and slots. A dead server's
// objects vanish with their last handle, so there is nothing stale to clean.
import { freemem, totalmem } from 'node:os';
import { nodePlatform } from '@pluresdb-ipc/client-node';
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import {
  ControlView,
  DEFAULT_CHANNEL,
  type Platform,
  SlotState,
  segmentName,
} from '@pluresdb-ipc/protocol/transport';
import { writeOut } from './closed-output.ts';
import { ExitCode, printJson, UsageError } from './output.ts';
import type { ParsedArgs } from './parse-args.ts';

const serverStates = ['Starting', 'Ready', 'Stopping', 'Stopped'] as const;

/** The channel's segment as doctor sees it on Windows. */
export interface WindowsSegmentReport {
  readonly name: string;
  readonly channel: string;
  readonly status: 'live' | 'stale' | 'starting';
  readonly serverPid: number;
  readonly state: string;
  readonly clients: number;
  readonly maxClients: number;
  readonly bytes: number;
}

/** Everything doctor found on Windows (the `--json` output). */
export interface WindowsDoctorReport {
  readonly ok: boolean;
  readonly platform: 'win32';
  /** The platform's user id (a hash of the user's SID: spec/transport.md#segment-names). */
  readonly uid: number;
  readonly channel: string;
  /** Physical memory (segments are pagefile-backed sections, committed when created). */
  readonly memory: { readonly freeBytes: number; readonly totalBytes: number };
  /** The channel's segment, or null when no server has created it. */
  readonly segment: WindowsSegmentReport | null;
  readonly problems: string[];
}

/** Looks at `channel`'s segment through `platform`. */
export function inspectWindowsChannel(
  platform: Platform,
  channel: string,
): { segment: WindowsSegmentReport | null; problems: string[] } {
  const name = segmentName(platform.userId(), channel);
  let mapped: ReturnType<Platform['openSegment']>;
  try {
    mapped = platform.openSegment(name);
  } catch (error) {
    if (IpcError.is(error) && error.code === ErrorCode.Unavailable) {
      return { segment: null, problems: /starting/.test(error.message) ? [error.rawMessage] : [] };
    }
    return { segment: null, problems: [IpcError.is(error) ? error.rawMessage : String(error)] };
  }
  try {
    const control = new ControlView(mapped.buffer, mapped.byteOffset, mapped.byteLength);
    const header = control.readHeader();
    let clients = 0;
    for (let slot = 0; slot < header.maxClients; slot++) {
      if (control.slotState(header, slot) !== SlotState.Free) clients += 1;
    }
    const alive = header.server.pid !== 0 && platform.isAlive(header.server);
    const status = header.server.pid === 0 ? 'starting' : alive ? 'live' : 'stale';
    const segment: WindowsSegmentReport = {
      name,
      channel: header.channel,
      status,
      serverPid: header.server.pid,
      state: serverStates[control.state()] ?? 'unknown',
      clients,
      maxClients: header.maxClients - header.operatorSlots,
      bytes: mapped.byteLength,
    };
    const problems =
      status === 'stale'
        ? [
            `its server (pid ${header.server.pid}) is gone; it goes away once its last client lets go`,
          ]
        : [];
    return { segment, problems };
  } catch (error) {
    return { segment: null, problems: [IpcError.is(error) ? error.rawMessage : String(error)] };
  } finally {
    mapped.unmap();
  }
}

/** Runs doctor on Windows; resolves with the exit code (0 all well, 1 a problem). */
export function windowsDoctorCommand(args: ParsedArgs, platform: Platform = nodePlatform): number {
  const { values, positionals } = args;
  if (positionals.length > 1) throw new UsageError('"doctor" takes no operands');
  const channel = values.channel ?? DEFAULT_CHANNEL;
  const { segment, problems } = inspectWindowsChannel(platform, channel);
  const report: WindowsDoctorReport = {
    ok: problems.length === 0,
    platform: 'win32',
    uid: platform.userId(),
    channel,
    memory: { freeBytes: freemem(), totalBytes: totalmem() },
    segment,
    problems,
  };
  if (values.json) printJson(report);
  else writeOut(describeWindowsReport(report, values.clean === true));
  return report.ok ? ExitCode.Ok : ExitCode.Failed;
}

/** The human-readable report. */
export function describeWindowsReport(report: WindowsDoctorReport, cleaning: boolean): string {
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const lines = [
    `memory: ${mib(report.memory.freeBytes)} free of ${mib(report.memory.totalBytes)}`,
  ];
  const s = report.segment;
  if (s === null)
    lines.push(`No PluresDB IPC segment for channel ${JSON.stringify(report.channel)}.`);
  else {
    lines.push(`  ${s.name}  channel ${JSON.stringify(s.channel)}`);
    lines.push(
      `    ${s.status}: server pid ${s.serverPid}, state ${s.state}, ${s.clients} of ${s.maxClients} client slots in use, ${mib(s.bytes)}, private to this user`,
    );
  }
  if (report.problems.length > 0) lines.push('Problems:', ...report.problems.map((p) => `  ${p}`));
  else lines.push('No problems found.');
  lines.push('(Windows: only the channel given is looked at; segment names cannot be listed.)');
  if (cleaning) {
    lines.push('Nothing to clean on Windows: a segment goes away with its last handle.');
  }
  return `${lines.join('\n')}\n`;
}
