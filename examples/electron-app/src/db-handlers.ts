// The requests a renderer may make, as plain functions the main process registers with
// `ipcMain.handle` (main.ts): no Electron here, so a test runs them under Node. Renderers are
// less trusted than the main process: every argument is checked, and only these four
// operations exist. A handler never throws: an error crossing `ipcMain.handle` would reach the
// renderer as a bare message, so it answers `{ ok: false, code, message }` instead.
import { ErrorCode, IpcError, type JsonObject, type PluresClient } from '@pluresdb-ipc/client-node';
import type { DbCall, DbPage, DbReply } from './db-api.ts';

/** Longest key or prefix a renderer may send, in characters. */
const MAX_KEY_CHARS = 1_024;
/** Records in one page of `db:list`. */
const PAGE_SIZE = 100;

/** A handler per {@link DbCall}: takes the renderer's arguments as sent. */
export type DbHandlers = Readonly<Record<DbCall, (...args: unknown[]) => Promise<DbReply>>>;

/** The handlers over `client`; while `closing()` says so they answer `Closed`. */
export function dbHandlers(client: PluresClient, closing: () => boolean): DbHandlers {
  const answer =
    (run: (...args: unknown[]) => Promise<unknown>) =>
    async (...args: unknown[]): Promise<DbReply> => {
      if (closing()) return failure(new IpcError(ErrorCode.Closed, 'the app is quitting'));
      try {
        // Inside the try: a bad argument throws before `run` returns its promise.
        return { ok: true, value: await run(...args) };
      } catch (error) {
        return failure(error);
      }
    };
  return {
    'db:get': answer((key) => client.get(text(key, 'key'))),
    'db:put': answer(async (key, value) => {
      await client.put(text(key, 'key'), object(value));
    }),
    'db:delete': answer(async (key) => (await client.delete(text(key, 'key'))).count > 0),
    'db:list': answer(async (prefix, after): Promise<DbPage> => {
      const page = await client.list({
        prefix: text(prefix, 'prefix'),
        limit: PAGE_SIZE,
        ...(after === undefined ? {} : { after: text(after, 'after') }),
      });
      return page.next === undefined
        ? { items: page.items }
        : { items: page.items, next: page.next };
    }),
  };
}

/** An error as a renderer can receive it: the `ErrorCode`'s name and the message. */
export function failure(error: unknown): DbReply {
  if (!IpcError.is(error)) return { ok: false, code: 'Internal', message: String(error) };
  return { ok: false, code: codeName(error.code), message: error.rawMessage };
}

/** `ErrorCode.NotFound` → `'NotFound'`. */
export function codeName(code: number): string {
  for (const [name, value] of Object.entries(ErrorCode)) if (value === code) return name;
  return `code ${code}`;
}

/** `value` when it is a string a renderer may send as a key or prefix; else `InvalidArgument`. */
export function text(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length > MAX_KEY_CHARS) {
    throw new IpcError(ErrorCode.InvalidArgument, `${what}: a string of at most ${MAX_KEY_CHARS}`);
  }
  return value;
}

function object(value: unknown): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new IpcError(ErrorCode.InvalidArgument, 'value: a JSON object');
  }
  // Structured clone lets through what JSON cannot carry (Date, Map, undefined...): the store
  // takes JSON only, and the client's encoder says so with InvalidArgument.
  return value as JsonObject;
}
