// Servers that `startServer` started get SIGTERM when this process exits normally (its 'exit'
// event), so they stop at once instead of after their next parent check. A process killed by
// a signal or SIGKILL runs no handler: then the server's `--parent-pid` watch stops it
// (cli/parent-watch.ts).

const running = new Set<() => void>();
let hooked = false;

function stopAll(): void {
  for (const stop of running) stop();
}

/**
 * Calls `stop` (which must be synchronous: only that runs in an 'exit' handler) when this
 * process exits; returns the function that forgets it.
 */
export function stopWithApp(stop: () => void): () => void {
  if (!hooked) {
    // One listener for every server: many servers must not trip the max-listeners warning.
    process.on('exit', stopAll);
    hooked = true;
  }
  running.add(stop);
  return () => {
    running.delete(stop);
  };
}
