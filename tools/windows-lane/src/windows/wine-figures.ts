// Figures under Wine (filled in below).
import type { Figure } from '../lane-results.ts';

/** Measures ping, get and wake-up costs under Wine. */
export async function wineFigures(): Promise<Figure[]> {
  return [];
}
