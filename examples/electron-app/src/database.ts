// The app's database, without Electron: the main process (main.ts) opens it once, registers its
// handlers with `ipcMain`, hands it the ports of renderers' watches, and shuts it down before
// quitting. A test runs this module under plain Node in cage mode (test/database.test.ts).
import { connect, type PluresClient } from '@pluresdb-ipc/client-node';
import {
  type RunningServer,
  type ServerExit,
  type ServerSpawner,
  startServer,
} from '@pluresdb-ipc/server-node';
import { type DbHandlers, dbHandlers } from './db-handlers.ts';
import { type ChangePort, type ForwardedWatch, forwardWatch } from './watch-port.ts';

/** Options of {@link openDatabase}. */
export interface DatabaseOptions {
  /** The channel: a name of the app's own (one server per channel and user). */
  readonly channel: string;
  /** Where the store lives, e.g. `<userData>/db`. */
  readonly dataDir: string;
  /** The client's name in the server's logs and stats. */
  readonly clientName?: string;
  /** How to start the server's process; default `startServer`'s (see main.ts). */
  readonly spawn?: ServerSpawner;
  /** Where the server's log lines go; default the app's stderr. */
  readonly log?: (line: string) => void;
  /** Called once if the server exits without being asked to: a crash, an outside kill. */
  readonly onServerExit?: (exit: ServerExit) => void;
}

/** The open database of the app. */
export interface AppDatabase {
  /** The server this app started and owns. */
  readonly server: RunningServer;
  /** The app's one client (main process only). */
  readonly client: PluresClient;
  /** What `ipcMain.handle` runs for each request channel. */
  readonly handlers: DbHandlers;
  /** Forwards changes under `prefix` to `port` (a renderer's watch) until either side ends. */
  watch(prefix: unknown, port: ChangePort): void;
  /**
   * Stops watches, closes the client, stops the server (SIGTERM; resolves on exit 0), in
   * that order. Idempotent; call it on `before-quit` and quit once it has settled.
   */
  shutdown(): Promise<void>;
}

/** Starts the app's server, connects to it, and returns the database; rejects with the server's error. */
export async function openDatabase(options: DatabaseOptions): Promise<AppDatabase> {
  const server = await startServer({
    channel: options.channel,
    dataDir: options.dataDir,
    ...(options.spawn === undefined ? {} : { spawn: options.spawn }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  let client: PluresClient;
  try {
    client = await connect(server.channel, { clientName: options.clientName ?? 'electron-main' });
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw error;
  }
  let crashed = false;
  void server.exited.then((exit) => {
    if (exit.requested) return;
    crashed = true;
    options.onServerExit?.(exit);
  });

  let closing = false;
  const watches = new Set<ForwardedWatch>();
  let stopped: Promise<void> | undefined;
  return {
    server,
    client,
    handlers: dbHandlers(client, () => closing),
    watch(prefix, port) {
      if (closing) {
        port.close();
        return;
      }
      const watch = forwardWatch(client, prefix, port);
      watches.add(watch);
      void watch.done.then(() => watches.delete(watch));
    },
    shutdown() {
      stopped ??= (async () => {
        closing = true; // new requests now answer Closed
        for (const watch of watches) watch.stop();
        await Promise.all([...watches].map((watch) => watch.done));
        await client.close(); // pending calls fail with Closed; its slot is freed
        // A crashed server is gone already: nothing to stop.
        if (!crashed) await server.stop(); // SIGTERM: flushes, removes its segment, exits 0
      })();
      return stopped;
    },
  };
}
