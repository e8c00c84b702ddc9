// The life of a baseline server process (HTTP, Unix socket): open its own store, serve it,
// print one ready line, and on SIGTERM or SIGINT close the server, then the store, then exit 0.
// Failures go to stderr with exit 1.
import process from 'node:process';
import type { Store } from '@pluresdb-ipc/store';
import { openBaselineStore } from './baseline-store.ts';

/** A started baseline server. */
export interface BaselineServer {
  /** Stops accepting and finishes what it read; the store is closed after. */
  close(): Promise<void>;
}

/**
 * Runs a baseline server over the store in `dataDir` until a signal. `start` serves the store
 * and returns the server with the text after `READY ` on the ready line; `onFailure` runs
 * before a failed process exits (e.g. to remove a socket file it created).
 */
export async function runBaselineChild(
  name: string,
  dataDir: string,
  start: (store: Store) => Promise<{ server: BaselineServer; ready: string }>,
  onFailure: () => void = () => {},
): Promise<void> {
  const die = (error: unknown): never => {
    onFailure();
    process.stderr.write(`${name}: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  };
  try {
    const store = await openBaselineStore(dataDir);
    const { server, ready } = await start(store);
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      try {
        // Server first: no request may reach a closed store.
        await server.close();
        await store.close();
        process.exit(0);
      } catch (error) {
        die(error);
      }
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    process.stdout.write(`READY ${ready}\n`);
  } catch (error) {
    die(error);
  }
}
