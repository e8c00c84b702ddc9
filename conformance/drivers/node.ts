// The Node driver: serves the conformance suite's commands with @pluresdb-ipc/client-node.
// Run: node --import tsx drivers/node.ts (from conformance/).
import { connect } from '@pluresdb-ipc/client-node';
import { runDriver } from '../src/harness/run-driver.ts';

await runDriver(connect, 'node');
