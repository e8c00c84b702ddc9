// Assertions for scenarios: plain functions that throw with a message saying what differed,
// so a scenario reads the same whatever test framework runs it.
import { isDeepStrictEqual } from 'node:util';
import type { WireError } from './driver-protocol.ts';

/** A scenario's expectation did not hold. */
export class ConformanceError extends Error {
  override readonly name = 'ConformanceError';
}

/** Throws `message` unless `condition` holds. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ConformanceError(message);
}

/** Throws unless `actual` deeply equals `expected`. */
export function equal(actual: unknown, expected: unknown, what: string): void {
  if (!isDeepStrictEqual(actual, expected)) {
    throw new ConformanceError(`${what}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

/** Throws unless the error has one of the codes. */
export function expectCode(
  error: WireError,
  codes: string | readonly string[],
  what: string,
): void {
  const expected = typeof codes === 'string' ? [codes] : codes;
  if (!expected.includes(error.code)) {
    throw new ConformanceError(
      `${what}: expected ${expected.join(' or ')}, got ${error.code} (${error.message})`,
    );
  }
}

/** Waits until `condition` holds, polling every 10 ms; throws after `timeoutMs`. */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new ConformanceError(`${what}: not reached within ${timeoutMs} ms`);
    await sleep(10);
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A value for a message, cut short. */
export function show(value: unknown): string {
  const text = JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'bigint' ? `${item}n` : item,
  );
  if (text === undefined) return String(value);
  return text.length > 300 ? `${text.slice(0, 300)}...` : text;
}
