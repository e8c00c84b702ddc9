// The preload script (docs/electron.md): gives the page `window.db` and nothing else. CommonJS
// (.cts), because Electron runs a sandboxed preload as a script, not as an ES module; it may
// `require` only 'electron' and a few built-ins, so it imports types alone.
import electron = require('electron');

import type { DbApi, DbCall, DbPage, DbReply, WatchMessage } from './db-api.ts';

const { contextBridge, ipcRenderer } = electron;
/** `DB_WATCH` of db-api.ts (a value import is not possible here; the type keeps them equal). */
const watchChannel: typeof import('./db-api.ts').DB_WATCH = 'db:watch';

/** One request; a failure becomes an Error naming its code. */
async function call(name: DbCall, ...args: unknown[]): Promise<unknown> {
  const reply = (await ipcRenderer.invoke(name, ...args)) as DbReply;
  if (!reply.ok) throw new Error(`${reply.code}: ${reply.message}`);
  return reply.value;
}

const db: DbApi = {
  get: async (key) => (await call('db:get', key)) as Awaited<ReturnType<DbApi['get']>>,
  put: async (key, value) => {
    await call('db:put', key, value);
  },
  delete: async (key) => (await call('db:delete', key)) as boolean,
  list: async (prefix, after) => (await call('db:list', prefix, after)) as DbPage,
  watch(prefix, onChange, onEnded) {
    // The main process keeps port2's twin; closing ours (unwatch, or the page going away)
    // ends the watch there.
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = (event: MessageEvent<WatchMessage>) => {
      const message = event.data;
      if (message.type === 'change') onChange(message.change);
      else onEnded(message.code, message.message);
    };
    ipcRenderer.postMessage(watchChannel, prefix, [port2]);
    return () => port1.close();
  },
};

contextBridge.exposeInMainWorld('db', db);
