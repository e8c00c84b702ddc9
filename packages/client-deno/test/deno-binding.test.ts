// The Deno.dlopen binding in a real Deno process with only --allow-ffi: the shared libc checks (segments, errors, the
// futex, the asynchronous wait) must all pass, and segments must be private to this user.
import { execFileSync } from 'node:child_process';
import { statSync, unlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const deno = fileURLToPath(new URL('../../../node_modules/.bin/deno', import.meta.url));
const script = fileURLToPath(new URL('./fixtures/binding-checks.ts', import.meta.url));

describe('Deno binding (Deno.dlopen)', () => {
  it('passes every libc check in a Deno process and creates segments with mode 0600', () => {
    const prefix = `/pdbi-test-deno-${process.pid}`;
    const output = execFileSync(deno, ['run', '--allow-ffi', script, prefix], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    try {
      expect(JSON.parse(output.trim())).toEqual([]);
      expect(statSync(`/dev/shm${prefix}-kept`).mode & 0o777).toBe(0o600);
    } finally {
      unlinkSync(`/dev/shm${prefix}-kept`);
    }
  });
});
