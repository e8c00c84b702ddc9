// The package's entry point in a real Bun process: `connect` (and its deprecated alias
// `IPCClient.connect`) reaches the bun:ffi binding. A real server is the conformance suite's
// part: conformance/drivers/bun.ts passes this `connect` to the runner.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bun = fileURLToPath(new URL('../../../node_modules/.bin/bun', import.meta.url));
const script = fileURLToPath(new URL('./fixtures/connect-checks.ts', import.meta.url));

describe('connect (Bun)', () => {
  it('is exported, has its alias, and reports a channel nobody serves', () => {
    const channel = `connect-check-bun-${process.pid}`;
    const output = execFileSync(bun, [script, channel], { encoding: 'utf8', timeout: 60_000 });
    expect(JSON.parse(output.trim())).toEqual([]);
  });
});
