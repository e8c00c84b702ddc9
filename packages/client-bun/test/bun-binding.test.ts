// The bun:ffi binding in a real Bun process: the shared libc checks (segments, errors, the
// futex, the asynchronous wait) must all pass, and segments must be private to this user.
import { execFileSync } from 'node:child_process';
import { statSync, unlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bun = fileURLToPath(new URL('../../../node_modules/.bin/bun', import.meta.url));
const script = fileURLToPath(new URL('./fixtures/binding-checks.ts', import.meta.url));

describe('Bun binding (bun:ffi)', () => {
  it('passes every libc check in a Bun process and creates segments with mode 0600', () => {
    const prefix = `/pdbi-test-bun-${process.pid}`;
    const output = execFileSync(bun, [script, prefix], { encoding: 'utf8', timeout: 60_000 });
    try {
      expect(JSON.parse(output.trim())).toEqual([]);
      expect(statSync(`/dev/shm${prefix}-kept`).mode & 0o777).toBe(0o600);
    } finally {
      unlinkSync(`/dev/shm${prefix}-kept`);
    }
  });
});
