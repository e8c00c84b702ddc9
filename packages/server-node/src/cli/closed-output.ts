// A reader that goes away must not kill the command (issue #19, item 3). A write to a pipe
// whose reader has exited fails with EPIPE, which Node reports as an 'error' event on the
// stream; unhandled, it ends the process with exit code 1. For the server that meant a stale
// segment and lost sessions after `serve | head -1` logged one more line; for `list --all |
// head -3` a stack trace. Now the server keeps serving (its log lines go nowhere), and client
// commands stop printing and exit 0, as Unix tools do.

const stdoutGone = new AbortController();

/** Aborted once stdout can no longer be written (its reader went away). */
export const outputClosed: AbortSignal = stdoutGone.signal;

let installed = false;

/**
 * Listens for errors on stdout and stderr, once per process: stdout's abort
 * {@link outputClosed}; stderr's are dropped (nothing is left to report them to).
 */
export function survivePipeClosures(): void {
  if (installed) return;
  installed = true;
  process.stdout.on('error', (error: Error) => {
    stdoutGone.abort(error);
  });
  process.stderr.on('error', () => {
    // The log's reader is gone: later log lines are lost, the process goes on.
  });
}

/** Writes `text` to stdout unless it is closed. */
export function writeOut(text: string): void {
  if (!outputClosed.aborted && !process.stdout.destroyed) process.stdout.write(text);
}

/** Writes `text` to stderr unless it is closed. */
export function writeErr(text: string): void {
  if (!process.stderr.destroyed) process.stderr.write(text);
}
