// A renderer's watch, forwarded over a MessagePort of its own (docs/electron.md): a stream of
// changes has no reply to wait for, and a port per watch ends it from either side. The
// renderer closes its end to unwatch; a closed or destroyed window closes it too; the main
// process closes it when the watch ends. No Electron here: Electron's `MessagePortMain` and
// Node's `MessagePort` (in the test) both fit {@link ChangePort}.
import type { ChangeEvent, PluresClient } from '@pluresdb-ipc/client-node';
import type { DbChange, WatchMessage } from './db-api.ts';
import { failure, text } from './db-handlers.ts';

/** The main process's end of a watch's channel. */
export interface ChangePort {
  postMessage(message: WatchMessage): void;
  /** Delivers the other end's messages and its closing (a `MessagePortMain` starts paused). */
  start(): void;
  close(): void;
  /** The other end closed, or its renderer went away. */
  once(event: 'close', listener: () => void): unknown;
}

/** A running watch. */
export interface ForwardedWatch {
  /** Ends it: the watch stops and the port closes. */
  stop(): void;
  /** Resolves once it has ended and its port is closed (never rejects). */
  readonly done: Promise<void>;
}

/**
 * Posts every change under `prefix` to `port` until either side ends it; when the watch fails
 * (the server went away: `Unavailable`; the renderer fell behind: `Busy`), posts one `ended`
 * first, so the page lists again and watches again.
 */
export function forwardWatch(
  client: PluresClient,
  prefix: unknown,
  port: ChangePort,
): ForwardedWatch {
  const controller = new AbortController();
  port.once('close', () => controller.abort());
  port.start();
  const done = (async () => {
    try {
      // Not resumed after a lost session: this app does not restart a server that died, so
      // the watch ends and the page lists again (the default, resuming, would wait for one).
      const changes = client.watch(text(prefix, 'prefix'), {
        signal: controller.signal,
        resume: false,
      });
      for await (const change of changes)
        port.postMessage({ type: 'change', change: plain(change) });
    } catch (error) {
      const reply = failure(error);
      if (!controller.signal.aborted && !reply.ok) {
        port.postMessage({ type: 'ended', code: reply.code, message: reply.message });
      }
    } finally {
      port.close();
    }
  })();
  return { stop: () => controller.abort(), done };
}

/** A change as plain JSON: bigints become decimal strings. */
function plain(change: ChangeEvent): DbChange {
  const { seq, kind, key, value, hlc } = change;
  return {
    seq: String(seq),
    kind,
    key,
    hlc: String(hlc),
    ...(value === undefined ? {} : { value }),
  };
}
