// The package's entry point in a real Deno process with only --allow-ffi: `connect` (and its
// deprecated alias `IPCClient.connect`) reaches the Deno.dlopen binding. A real server is the
// conformance suite's part: conformance/drivers/deno.ts passes this `connect` to the runner.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const deno = fileURLToPath(new URL('../../../node_modules/.bin/deno', import.meta.url));
const script = fileURLToPath(new URL('./fixtures/connect-checks.ts', import.meta.url));

describe('connect (Deno)', () => {
  it('is exported, has its alias, and reports a channel nobody serves', () => {
    const channel = `connect-check-deno-${process.pid}`;
    const output = execFileSync(deno, ['run', '--allow-ffi', script, channel], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(JSON.parse(output.trim())).toEqual([]);
  });
});
