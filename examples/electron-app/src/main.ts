// The Electron main process (docs/electron.md): it owns the database's server and its only
// client; renderers reach the data through the preload's `window.db` (preload.cts), requests
// over `ipcMain.handle`, watches over a MessagePort each. Everything but the Electron wiring
// is in database.ts, which a test runs without Electron.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerSpawner } from '@pluresdb-ipc/server-node';
import {
  app,
  BrowserWindow,
  dialog,
  type IpcMainEvent,
  type IpcMainInvokeEvent,
  ipcMain,
  utilityProcess,
} from 'electron';
import { type AppDatabase, openDatabase } from './database.ts';
import { DB_CALLS, DB_WATCH, type DbReply } from './db-api.ts';

/** The app's channel: one server per channel and user. */
const CHANNEL = 'com.example.pluresdb-electron';
/**
 * By default `startServer` runs the server with Electron's own binary as Node
 * (`ELECTRON_RUN_AS_NODE=1`). An app that turns off Electron's RunAsNode fuse starts it in a
 * utility process instead: set this to true.
 */
const USE_UTILITY_PROCESS = false;

const here = dirname(fileURLToPath(import.meta.url));

/** Starts the server in an Electron utility process (`startServer`'s `spawn` option). */
const forkServer: ServerSpawner = (launch) =>
  utilityProcess.fork(launch.script, [...launch.scriptArgs], {
    env: launch.env,
    stdio: 'pipe', // startServer reads the ready line on stdout, the log on stderr
    serviceName: 'PluresDB IPC server',
  });

/** Requests are answered only for the app's own pages (Electron's security checklist). */
function fromAppPage(event: IpcMainEvent | IpcMainInvokeEvent): boolean {
  return event.senderFrame?.url.startsWith('file://') === true;
}

const refused: DbReply = { ok: false, code: 'PermissionDenied', message: 'not an app page' };

function registerHandlers(db: AppDatabase): void {
  for (const name of DB_CALLS) {
    ipcMain.handle(name, (event, ...args: unknown[]) =>
      fromAppPage(event) ? db.handlers[name](...args) : refused,
    );
  }
  // A watch comes with the renderer's end of a MessageChannel; see watch-port.ts.
  ipcMain.on(DB_WATCH, (event, prefix: unknown) => {
    const [port] = event.ports;
    if (port !== undefined && fromAppPage(event)) db.watch(prefix, port);
    else port?.close();
  });
}

/** Holds the quit until the database is shut down: watches, client, then the server. */
function shutDownBeforeQuit(db: AppDatabase): void {
  let done = false;
  app.on('before-quit', (event) => {
    if (done) return;
    event.preventDefault();
    for (const name of DB_CALLS) ipcMain.removeHandler(name);
    ipcMain.removeAllListeners(DB_WATCH);
    db.shutdown()
      .catch((error: unknown) => console.error(`database shutdown: ${String(error)}`))
      .finally(() => {
        done = true;
        app.quit();
      });
  });
}

function createWindow(): void {
  const window = new BrowserWindow({
    width: 800,
    height: 600,
    webPreferences: {
      preload: join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  void window.loadFile(join(here, '..', 'index.html'));
}

async function main(): Promise<void> {
  // A second instance would find the channel and the store taken: hand over to the first.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  const db = await openDatabase({
    channel: CHANNEL,
    dataDir: join(app.getPath('userData'), 'db'),
    clientName: 'main',
    ...(USE_UTILITY_PROCESS ? { spawn: forkServer } : {}),
    onServerExit: (exit) => {
      // No silent restart (docs/operations.md#a-server-owned-by-an-app): tell the user, quit.
      dialog.showErrorBox('The database stopped', `${exit.code ?? exit.signal}\n${exit.stderr}`);
      app.quit();
    },
  });
  registerHandlers(db);
  shutDownBeforeQuit(db);
  createWindow();
}

main().catch((error: unknown) => {
  // startServer rejects with the server's own words: StoreLocked, Unavailable, ...
  dialog.showErrorBox('Could not open the database', String(error));
  app.exit(1);
});
