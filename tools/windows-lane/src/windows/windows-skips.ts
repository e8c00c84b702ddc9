// Scenarios the lane cannot run on Windows, each with its reason. Type-strippable TypeScript.
// (None today: SIGSTOP and SIGCONT, which Windows lacks, are stood in for by
// windows-signals.ts.)

/** Scenario name → why it does not run on Windows. */
export const WINDOWS_SKIPS: ReadonlyMap<string, string> = new Map();
