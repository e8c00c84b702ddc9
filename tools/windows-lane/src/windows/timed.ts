// One check with a time limit, as a result line. Type-strippable TypeScript.
import type { ScenarioResult } from '../lane-results.ts';

/** Runs `body` within `limitMs`; its outcome and duration. */
export async function timed(
  name: string,
  limitMs: number,
  body: () => Promise<void>,
): Promise<ScenarioResult> {
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result within ${limitMs} ms`)), limitMs);
  });
  try {
    await Promise.race([body(), limit]);
    return { name, status: 'pass', ms: Math.round(performance.now() - start) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { name, status: 'fail', reason, ms: Math.round(performance.now() - start) };
  } finally {
    clearTimeout(timer);
  }
}
