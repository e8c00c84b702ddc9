// Several runtimes' drivers on one server at once, each started from its runtime file.
import type { DriverClient } from './driver-client.ts';
import type { RuntimeSpec } from './runtime-files.ts';
import { startDriver } from './runtime-fixture.ts';
import { freshChannel, ServerHandle } from './server-control.ts';

/** One driver taking part, labelled by its runtime (`node#2` when a runtime appears twice). */
export interface Participant {
  readonly label: string;
  readonly driver: DriverClient;
}

/** Starts a server and one driver per runtime, runs `body`, then stops them all. */
export async function withParticipants(
  runtimes: readonly RuntimeSpec[],
  body: (participants: readonly Participant[]) => Promise<void>,
): Promise<void> {
  const server = await ServerHandle.start(freshChannel('cross'));
  const labels = runtimes.map((runtime, i) =>
    runtimes.filter((other) => other.name === runtime.name).length > 1
      ? `${runtime.name}#${i + 1}`
      : runtime.name,
  );
  const started = await Promise.allSettled(
    runtimes.map((runtime, i) => startDriver(runtime, labels[i] as string, server.channel)),
  );
  try {
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const participants = started.map((result, i) => ({
      label: labels[i] as string,
      driver: (result as PromiseFulfilledResult<DriverClient>).value,
    }));
    await body(participants);
    // Events that broke the protocol's schema fail the scenario too.
    for (const { driver } of participants) driver.checkProtocol();
  } finally {
    await Promise.all(
      started.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)),
    );
    await server.dispose();
  }
}
