// The contract between the main process and its renderers (docs/electron.md): the channels the
// main process handles, what every reply looks like, and the API the preload script gives the
// page as `window.db`. Only plain JSON crosses it: an error thrown in an `ipcMain.handle`
// handler reaches the renderer with its message alone, so errors travel as `{ code, message }`;
// bigints (`seq`, `hlc`) travel as decimal strings.
import type { JsonObject } from '@pluresdb-ipc/client-node';

/** The request channels (`ipcMain.handle` in main, `ipcRenderer.invoke` in the preload). */
export const DB_CALLS = ['db:get', 'db:put', 'db:delete', 'db:list'] as const;

/** One of {@link DB_CALLS}. */
export type DbCall = (typeof DB_CALLS)[number];

/** The channel a renderer sends a new watch's `MessagePort` on (`ipcRenderer.postMessage`). */
export const DB_WATCH = 'db:watch';

/** Every request's answer: the value, or the error's `ErrorCode` name and message. */
export type DbReply =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly code: string; readonly message: string };

/** A change as a renderer receives it (`seq` and `hlc` as decimal strings). */
export interface DbChange {
  readonly seq: string;
  readonly kind: 'upsert' | 'delete';
  readonly key: string;
  /** The record's data after the change; absent for a delete. */
  readonly value?: JsonObject;
  readonly hlc: string;
}

/**
 * What the main process posts on a watch's port: each change, then at most one `ended` when
 * the watch failed (the server went away, or the renderer fell behind: `Unavailable`, `Busy`).
 * Changes may have been missed then: list again, and watch again.
 */
export type WatchMessage =
  | { readonly type: 'change'; readonly change: DbChange }
  | { readonly type: 'ended'; readonly code: string; readonly message: string };

/** One page of `list`. */
export interface DbPage {
  readonly items: readonly { readonly key: string; readonly value: JsonObject }[];
  /** Pass as `after` for the next page; absent on the last one. */
  readonly next?: string;
}

/** `window.db`: what the preload script exposes to the page (errors are thrown as `Error`). */
export interface DbApi {
  get(key: string): Promise<JsonObject | undefined>;
  put(key: string, value: JsonObject): Promise<void>;
  delete(key: string): Promise<boolean>;
  list(prefix: string, after?: string): Promise<DbPage>;
  /** Calls `onChange` for each change under `prefix` until the returned function is called. */
  watch(
    prefix: string,
    onChange: (change: DbChange) => void,
    onEnded: (code: string, message: string) => void,
  ): () => void;
}
