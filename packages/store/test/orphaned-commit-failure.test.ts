// lmdb-js leaves one promise of a failed batched commit unhandled (orphaned-commit-failure.ts).
// The listener the server's CLI installs must keep the process alive through exactly those,
// and let every other unhandled rejection end the process as Node's default does.
import { describe, expect, it } from 'vitest';
import { isLmdbCommitFailure } from '../src/orphaned-commit-failure.ts';
import { exited, LineReader, startFixture } from './child.ts';

async function run(mode: 'survive' | 'plain', kind: 'lmdb' | 'other') {
  const child = startFixture('orphan-rejection', [mode, kind]);
  const out = new LineReader(child);
  const code = await exited(child);
  return { code, lines: out.lines, stderr: out.stderr };
}

describe('orphaned lmdb-js commit failures', () => {
  it('recognises lmdb-js failed-commit errors only', () => {
    const commitError = Promise.reject(new Error('cause'));
    commitError.catch(() => {});
    expect(isLmdbCommitFailure(Object.assign(new Error('Commit failed'), { commitError }))).toBe(
      true,
    );
    expect(isLmdbCommitFailure(new Error('Commit failed'))).toBe(false);
    expect(isLmdbCommitFailure({ commitError })).toBe(false);
    expect(isLmdbCommitFailure(Object.assign(new Error('x'), { commitError: 'text' }))).toBe(false);
  });

  it('end a process without the listener, and not with it', async () => {
    const plain = await run('plain', 'lmdb');
    expect(plain.code).not.toBe(0);
    expect(plain.lines).not.toContain('alive');
    const survived = await run('survive', 'lmdb');
    expect(survived.code).toBe(0);
    expect(survived.lines).toContain('alive');
  });

  it('any other unhandled rejection still ends the process, with its message', async () => {
    const other = await run('survive', 'other');
    expect(other.code).toBe(1);
    expect(other.lines).not.toContain('alive');
    expect(other.stderr).toContain('some other failure');
  });
});
