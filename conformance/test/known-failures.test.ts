// The known-failure rule itself: a listed scenario must fail, an unlisted one must pass.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withKnownFailures } from '../src/harness/known-failures.ts';
import type { RuntimeSpec } from '../src/harness/runtime-files.ts';
import { conformanceDir } from '../src/paths.ts';

const runtime: RuntimeSpec = {
  name: 'example',
  file: join(conformanceDir, 'runtimes', 'example.json'),
  launch: { command: ['true'], cwd: conformanceDir, env: {} },
  capabilities: new Set(),
  knownFailures: [{ scenario: 'listed', reason: 'issue #12' }],
};
const fails = async () => {
  throw new Error('scenario failed');
};
const passes = async () => {};

describe('known failures', () => {
  it('accept a listed scenario that fails', async () => {
    await expect(withKnownFailures([runtime], 'listed', fails)).resolves.toBeUndefined();
  });

  it('fail a listed scenario that passes, naming the file and the reason', async () => {
    await expect(withKnownFailures([runtime], 'listed', passes)).rejects.toThrow(
      'unexpected pass: remove it from runtimes/example.json (listed because: issue #12)',
    );
  });

  it('pass an unlisted scenario that passes, and fail one that fails', async () => {
    await expect(withKnownFailures([runtime], 'other', passes)).resolves.toBeUndefined();
    await expect(withKnownFailures([runtime], 'other', fails)).rejects.toThrow('scenario failed');
  });
});
