// Why a server that `startServer` ran did not become ready, as an IpcError: its own words when
// it said them in the CLI's form (`pluresdb-ipc: StoreLocked: ...`, cli/output.ts), with
// their code, so an app branches on `error.code` as it does for a client's errors.
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';

/** The CLI's exit code for a bad command line (cli/output.ts). */
const USAGE_EXIT = 2;

/** How the server's process ended. */
export interface ExitStatus {
  /** Its exit code, or null when a signal ended it. */
  readonly code: number | null;
  /** The signal that ended it, when known. */
  readonly signal: string | null;
}

/** Every error code by its schema name (`Ok` is no error). */
const CODE_BY_NAME = new Map<string, ErrorCode>(
  Object.entries(ErrorCode).filter(([, value]) => value !== ErrorCode.Ok),
);

/** "code 1" or "signal SIGKILL". */
export function describeExit(status: ExitStatus): string {
  return status.code === null ? `signal ${status.signal ?? 'unknown'}` : `code ${status.code}`;
}

/**
 * The error of a server that exited before its ready line, from what it wrote to stderr: the
 * last `pluresdb-ipc: <Code>: <message>` line gives code and message; a usage error is
 * `InvalidArgument`; anything else (a crash, a signal) is `Internal` with the exit and stderr.
 */
export function startFailure(stderr: string, status: ExitStatus): IpcError {
  const lines = stderr.split('\n').filter((line) => line.length > 0);
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = /^pluresdb-ipc: ([A-Za-z]+): (.+)$/.exec(lines[i] as string);
    const code = match === null ? undefined : CODE_BY_NAME.get(match[1] as string);
    if (code !== undefined) return new IpcError(code, match?.[2] as string);
  }
  if (status.code === USAGE_EXIT) {
    const said = lines.find((line) => line.startsWith('pluresdb-ipc: '));
    return new IpcError(
      ErrorCode.InvalidArgument,
      said === undefined ? 'the server refused its command line' : said.slice(14),
    );
  }
  const tail = lines.slice(-5).join('\n');
  return new IpcError(
    ErrorCode.Internal,
    `the server exited (${describeExit(status)}) before it was ready${tail ? `: ${tail}` : ''}`,
  );
}
