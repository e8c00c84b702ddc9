// Scenarios the lane cannot run on Windows, each with its reason. Type-strippable TypeScript.

/** Scenario name → why it does not run on Windows. */
export const WINDOWS_SKIPS: ReadonlyMap<string, string> = new Map([
  ...[
    'Timeout when the server does not answer in time',
    'the promise API leaves the event loop free while it waits',
    'Timeout from sync variants',
    'Aborted while waiting for the answer',
    'Closed after close, for new and pending requests',
  ].map((name): [string, string] => [
    name,
    'freezes the server with SIGSTOP; Windows has no SIGSTOP',
  ]),
  [
    'events read before the server cuts a stalled subscriber reach it before its end',
    "freezes the driver's process group with SIGSTOP; Windows has no SIGSTOP",
  ],
]);
