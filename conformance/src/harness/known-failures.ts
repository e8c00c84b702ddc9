// The rule for known failures: a listed scenario must fail, and passing fails too, so that a
// fixed bug gets its entry removed instead of hiding the next regression.
import { relative } from 'node:path';
import { conformanceDir } from '../paths.ts';
import type { KnownFailure, RuntimeSpec } from './runtime-files.ts';

/** The entry for `scenario` in any of `runtimes`' known failures, with its file. */
export function knownFailure(
  runtimes: readonly RuntimeSpec[],
  scenario: string,
): { file: string; failure: KnownFailure } | undefined {
  for (const runtime of runtimes) {
    const failure = runtime.knownFailures.find((entry) => entry.scenario === scenario);
    if (failure) return { file: relative(conformanceDir, runtime.file), failure };
  }
  return undefined;
}

/** Runs `run`, inverting the verdict when the scenario is a known failure. */
export async function withKnownFailures(
  runtimes: readonly RuntimeSpec[],
  scenario: string,
  run: () => Promise<void>,
): Promise<void> {
  const known = knownFailure(runtimes, scenario);
  try {
    await run();
  } catch (error) {
    if (known) return;
    throw error;
  }
  if (known) {
    throw new Error(
      `unexpected pass: remove it from ${known.file} (listed because: ${known.failure.reason})`,
    );
  }
}
