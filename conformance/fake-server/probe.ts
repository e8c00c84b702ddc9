// The client side of the fake-server test, shared by every runtime: for each fault, a fresh
// client (named after the fault, so the fake server knows what to do) connects and makes one
// `get` with a 1 s timeout. Prints one JSON line: per fault, the error code's name (or "ok")
// and how long the call took.
import { ErrorCode, IpcError, type PluresClient } from '@pluresdb-ipc/protocol';

/** How the fake-server probe connects, in the runtime under test. */
export type ProbeConnect = (
  channel: string,
  options: { clientName: string; timeoutMs: number; reconnect: { enabled: false } },
) => Promise<PluresClient>;

/** Timeout of each probed call, in ms. */
export const PROBE_TIMEOUT_MS = 1_000;

function codeName(code: number): string {
  return Object.entries(ErrorCode).find(([, value]) => value === code)?.[0] ?? `code ${code}`;
}

function probeGet(client: PluresClient): Promise<unknown> {
  return client.get('probe');
}

/**
 * Calls that need protocol version 2, made in the fake server's version 1 session: the client
 * must refuse them with VersionMismatch before sending anything (spec/versioning.md).
 */
const versionOneCalls: Record<string, (client: PluresClient) => Promise<unknown>> = {
  'v1-session-backup': (client) => client.backup('/nonexistent/backup'),
  'v1-session-export': async (client) => {
    for await (const _ of client.exportRecords()) break;
  },
};

/** Runs the probe over the faults named on the command line (after the channel). */
export async function runProbe(connect: ProbeConnect, args: readonly string[]): Promise<void> {
  const [channel = '', ...names] = args;
  const results: Record<string, { code: string; ms: number }> = {};
  for (const fault of names) {
    const started = performance.now();
    let code = 'ok';
    try {
      const client = await connect(channel, {
        clientName: fault,
        timeoutMs: PROBE_TIMEOUT_MS,
        reconnect: { enabled: false },
      });
      try {
        await (versionOneCalls[fault] ?? probeGet)(client);
      } catch (error) {
        code = IpcError.is(error) ? codeName(error.code) : `threw ${String(error)}`;
      } finally {
        await client.close();
      }
    } catch (error) {
      code = `connect failed: ${String(error)}`;
    }
    results[fault] = { code, ms: performance.now() - started };
  }
  console.log(JSON.stringify(results));
}
