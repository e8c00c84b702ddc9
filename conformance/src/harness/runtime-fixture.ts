// One runtime under test: its server and its driver, shared by its scenarios; a scenario that
// crashes the driver or stops the server does not take the following ones down with it.
import { vectorsDir } from '../paths.ts';
import { DriverClient } from './driver-client.ts';
import type { ConnectOptionsJson } from './driver-protocol.ts';
import { withKnownFailures } from './known-failures.ts';
import type { RuntimeSpec } from './runtime-files.ts';
import type { Scenario, ScenarioContext } from './scenario.ts';
import { freshChannel, ServerHandle, type ServerSettings } from './server-control.ts';

/** Options of every driver's main client: a generous timeout, so only hangs fail. */
export const MAIN_CLIENT_OPTIONS: ConnectOptionsJson = {
  timeoutMs: 15_000,
  clientName: 'conformance',
};
/** Connecting may include the driver's runtime warming up. */
const CONNECT_TIMEOUT_MS = 30_000;

/** Starts a runtime's driver and connects its main client to `channel`. */
export async function startDriver(
  runtime: RuntimeSpec,
  label: string,
  channel: string,
): Promise<DriverClient> {
  const driver = await DriverClient.start(label, runtime.launch);
  try {
    await driver.ok('connect', { channel, options: MAIN_CLIENT_OPTIONS }, CONNECT_TIMEOUT_MS);
  } catch (error) {
    await driver.stop();
    throw error;
  }
  return driver;
}

/** A runtime's server and driver, started on first use. */
export class RuntimeFixture {
  private started: Promise<{ server: ServerHandle; driver: DriverClient }> | undefined;
  private keys = 0;

  constructor(readonly runtime: RuntimeSpec) {}

  /** Runs a scenario; one listed in the runtime's `knownFailures` must fail. */
  run(scenario: Scenario): Promise<void> {
    return withKnownFailures([this.runtime], scenario.name, () => this.runOnce(scenario));
  }

  /** Stops the driver and the server, and removes the data. */
  async stop(): Promise<void> {
    const started = await this.started?.catch(() => undefined);
    await started?.driver.stop();
    await started?.server.dispose();
  }

  private async runOnce(scenario: Scenario): Promise<void> {
    // Started inside the first test rather than in a hook, so that a runtime that cannot
    // start fails every one of its scenarios instead of skipping them.
    this.started ??= this.startAll();
    const fixture = await this.started;
    const { server } = fixture;
    if (!fixture.driver.alive) {
      // A scenario crashed the driver; the next ones get a fresh one.
      fixture.driver = await startDriver(this.runtime, this.runtime.name, server.channel);
    }
    const driver = fixture.driver;
    const deferred: (() => unknown)[] = [];
    const context: ScenarioContext = {
      runtime: this.runtime,
      driver,
      server,
      vectorsDir,
      key: (label) => `${slug(scenario.name)}/${++this.keys}/${label}`,
      startServer: async (settings?: ServerSettings) => {
        const extra = await ServerHandle.start(freshChannel(this.runtime.name), settings);
        deferred.push(() => extra.dispose());
        return extra;
      },
      startDriver: async (label, channel) => {
        const extra = await startDriver(this.runtime, `${this.runtime.name}-${label}`, channel);
        deferred.push(async () => {
          await extra.stop();
          extra.checkProtocol();
        });
        return extra;
      },
      connect: async (client, channel, options = {}) => {
        deferred.push(() => driver.call('close', { client }).catch(() => undefined));
        await driver.ok('connect', { client, channel, options }, CONNECT_TIMEOUT_MS);
      },
      defer: (action) => deferred.push(action),
    };
    let failure: { error: unknown } | undefined;
    try {
      await scenario.run(context);
    } catch (error) {
      failure = { error };
    }
    for (const action of deferred.reverse()) {
      try {
        await action();
      } catch (error) {
        // A cleanup failure matters only when the scenario itself passed.
        failure ??= { error };
      }
    }
    try {
      // Events and stray answers that broke the protocol's schema fail the scenario too.
      driver.checkProtocol();
    } catch (error) {
      failure ??= { error };
    }
    // A scenario that froze the driver and failed before thawing it.
    driver.resume();
    await server.ensureRunning();
    if (failure) throw failure.error;
  }

  private async startAll(): Promise<{ server: ServerHandle; driver: DriverClient }> {
    const server = await ServerHandle.start(freshChannel(this.runtime.name));
    try {
      return { server, driver: await startDriver(this.runtime, this.runtime.name, server.channel) };
    } catch (error) {
      await server.dispose();
      throw error;
    }
  }
}

function slug(name: string): string {
  return name.replace(/[^a-z0-9]+/gi, '-');
}
