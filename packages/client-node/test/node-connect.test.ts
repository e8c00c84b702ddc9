// The package's entry point: `connect` (and its deprecated alias `IPCClient.connect`) reaches
// the Node binding. A real server is the conformance suite's part (conformance/drivers/node.ts
// passes this `connect` to the runner) and server-node's tests, which all connect with it.

import { checkConnect } from '@pluresdb-ipc/protocol/testing';
import { describe, expect, it } from 'vitest';
import * as entry from '../src/index.ts';

describe('connect (Node)', () => {
  it('is exported, has its alias, and reports a channel nobody serves', async () => {
    expect(await checkConnect(entry, `connect-check-node-${process.pid}`)).toEqual([]);
  });
});
