// SIGSTOP and SIGCONT for the lane's runner on Windows, which has neither: scenarios freeze a
// server or a driver that way (conformance/src/harness/server-control.ts, driver-client.ts).
// Here a stop suspends every thread of the process (NtSuspendProcess) and a continue resumes
// them, which is what the scenarios need of a frozen peer: alive, answering nothing. Installed
// by the runner in its own process only. Type-strippable TypeScript.
import { ChildProcess } from 'node:child_process';
import koffi from 'koffi';

const PROCESS_SUSPEND_RESUME = 0x0800;

const kernel32 = koffi.load('kernel32.dll');
const ntdll = koffi.load('ntdll.dll');
const openProcess = kernel32.func(
  'void *__stdcall OpenProcess(uint32 access, int inherit, uint32 pid)',
);
const closeHandle = kernel32.func('int __stdcall CloseHandle(void *handle)');
const ntSuspendProcess = ntdll.func('int32 __stdcall NtSuspendProcess(void *process)');
const ntResumeProcess = ntdll.func('int32 __stdcall NtResumeProcess(void *process)');

/** Suspends (`SIGSTOP`) or resumes (`SIGCONT`) process `pid`; false when it is gone. */
function freeze(pid: number, signal: 'SIGSTOP' | 'SIGCONT'): boolean {
  const handle = openProcess(PROCESS_SUSPEND_RESUME, 0, pid);
  if (!handle) return false;
  try {
    const status = signal === 'SIGSTOP' ? ntSuspendProcess(handle) : ntResumeProcess(handle);
    return status === 0;
  } finally {
    closeHandle(handle);
  }
}

function isFreeze(signal: unknown): signal is 'SIGSTOP' | 'SIGCONT' {
  return signal === 'SIGSTOP' || signal === 'SIGCONT';
}

/** Makes `child.kill` and `process.kill` (of a "group", `-pid`) honour SIGSTOP and SIGCONT. */
export function installWindowsFreeze(): void {
  const childKill = ChildProcess.prototype.kill;
  ChildProcess.prototype.kill = function kill(
    this: ChildProcess,
    signal?: NodeJS.Signals | number,
  ) {
    if (isFreeze(signal) && this.pid !== undefined) return freeze(this.pid, signal);
    return childKill.call(this, signal);
  };
  const processKill = process.kill;
  process.kill = (pid: number, signal?: string | number): true => {
    // A driver's "process group" is the runtime's own process here (no launcher on Windows).
    if (isFreeze(signal)) {
      if (!freeze(Math.abs(pid), signal)) throw new Error(`kill ESRCH ${pid}`);
      return true;
    }
    return processKill.call(process, pid, signal);
  };
}
