// One check with a time limit, as a result line. Type-strippable TypeScript.
import type { ScenarioResult } from '../lane-results.ts';

/** Runs `body` within `limitMs`; its outcome, duration and, when it returns a string, detail. */
export async function timed(
  name: string,
  limitMs: number,
  body: () => Promise<unknown>,
): Promise<ScenarioResult> {
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result within ${limitMs} ms`)), limitMs);
  });
  try {
    const detail = await Promise.race([body(), limit]);
    const ms = Math.round(performance.now() - start);
    return typeof detail === 'string'
      ? { name, status: 'pass', detail, ms }
      : { name, status: 'pass', ms };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { name, status: 'fail', reason, ms: Math.round(performance.now() - start) };
  } finally {
    clearTimeout(timer);
  }
}
