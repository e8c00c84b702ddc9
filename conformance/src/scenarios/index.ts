// Every scenario, in the order the runner runs them: cheap checks first, server restarts and
// the 64 MiB value last.
import type { Scenario } from '../harness/scenario.ts';
import { availabilityScenarios } from './availability.ts';
import { dataTransferScenarios } from './data-transfer.ts';
import { deadlineScenarios } from './deadlines.ts';
import { driverScenarios } from './driver-interface.ts';
import { errorScenarios } from './errors.ts';
import { keyAndValueScenarios } from './keys-and-values.ts';
import { largeValueScenarios } from './large-values.ts';
import { operationScenarios } from './operations.ts';
import { pipeliningScenarios } from './pipelining.ts';
import { queryScenarios } from './queries.ts';
import { resumeScenarios } from './resume.ts';
import { subscriptionScenarios } from './subscriptions.ts';
import { syncScenarios } from './sync-variants.ts';
import { vectorScenarios } from './vectors.ts';

/** The scenarios every runtime runs. */
export const scenarios: readonly Scenario[] = [
  ...driverScenarios,
  ...vectorScenarios,
  ...operationScenarios,
  ...queryScenarios,
  ...syncScenarios,
  ...errorScenarios,
  ...keyAndValueScenarios,
  ...pipeliningScenarios,
  ...subscriptionScenarios,
  ...resumeScenarios,
  ...dataTransferScenarios,
  ...deadlineScenarios,
  ...availabilityScenarios,
  ...largeValueScenarios,
];
