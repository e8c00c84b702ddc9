// The lane's own checks besides the scenarios (filled in below).
import type { RuntimeSpec } from '../../../../conformance/src/harness/runtime-files.ts';
import type { ResultGroup } from '../lane-results.ts';

/** Runs the lane checks with `runtime`'s driver, appending to `group`. */
export async function laneChecks(
  _runtime: RuntimeSpec,
  _group: ResultGroup,
  _progress: () => void,
): Promise<void> {}
