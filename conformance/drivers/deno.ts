// The Deno driver: serves the conformance suite's commands with @pluresdb-ipc/client-deno.
// Run: deno run --allow-ffi --allow-read --node-modules-dir=manual drivers/deno.ts (from
// conformance/; the client needs only --allow-ffi, the vectors scenario reads files).
import { connect } from '@pluresdb-ipc/client-deno';
import { runDriver } from '../src/harness/run-driver.ts';

await runDriver(connect, 'deno');
