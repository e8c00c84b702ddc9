// The results file the Windows-side runner writes and the Linux side reads and prints.

/** One scenario's (or one lane check's) outcome. */
export interface ScenarioResult {
  readonly name: string;
  readonly status: 'pass' | 'fail' | 'skip';
  /** Why it was skipped, or the failure's message. */
  readonly reason?: string;
  /** What a passed lane check measured or saw. */
  readonly detail?: string;
  readonly ms: number;
}

/** One group of results: a Windows runtime's scenarios, the cross-runtime pair, lane checks. */
export interface ResultGroup {
  readonly name: string;
  readonly results: ScenarioResult[];
}

/** A measured figure; under Wine it measures wineserver, not Windows. */
export interface Figure {
  readonly name: string;
  readonly value: string;
}

/** The whole file. */
export interface LaneResults {
  readonly groups: ResultGroup[];
  readonly figures: Figure[];
  /** Set when the runner itself failed (the lane fails then). */
  error?: string;
}

/** Counts of a group's outcomes. */
export function tally(group: ResultGroup): { pass: number; fail: number; skip: number } {
  const count = (status: ScenarioResult['status']): number =>
    group.results.filter((result) => result.status === status).length;
  return { pass: count('pass'), fail: count('fail'), skip: count('skip') };
}
