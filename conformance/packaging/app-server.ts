// How the packaging test's app starts and stops its own server: `startServer` of the installed
// `@pluresdb-ipc/server-node` tarball, as an app does (docs/operations.md#a-server-owned-by-an-app).
// It runs the installed CLI's `serve` under the Node running the app, resolves once the server
// is ready (or rejects with the server's own error), and `stop()` resolves only on exit 0.
import { type RunningServer, startServer } from '@pluresdb-ipc/server-node';

/** Starts the app's server on `channel` with its data in `dataDir`; resolves once it is ready. */
export function startAppServer(channel: string, dataDir: string): Promise<RunningServer> {
  return startServer({ channel, dataDir });
}
