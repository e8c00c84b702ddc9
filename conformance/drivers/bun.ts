// The Bun driver: serves the conformance suite's commands with @pluresdb-ipc/client-bun.
// Run: bun drivers/bun.ts (from conformance/).
import { connect } from '@pluresdb-ipc/client-bun';
import { runDriver } from '../src/harness/run-driver.ts';

await runDriver(connect, 'bun');
