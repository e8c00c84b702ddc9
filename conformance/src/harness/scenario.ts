// What a scenario is and what it is given. Scenarios talk to the client only through the
// driver, so the same scenario checks every runtime's client, ours or a third party's.
import type { DriverClient } from './driver-client.ts';
import type { ConnectOptionsJson } from './driver-protocol.ts';
import type { Capability, RuntimeSpec } from './runtime-files.ts';
import type { ServerHandle, ServerSettings } from './server-control.ts';

/** What a scenario runs with. */
export interface ScenarioContext {
  /** The runtime under test. */
  readonly runtime: RuntimeSpec;
  /** Its driver, with client `"main"` connected to {@link server}. */
  readonly driver: DriverClient;
  /** The runtime's server; brought back to running after every scenario. */
  readonly server: ServerHandle;
  /** The golden vectors' folder. */
  readonly vectorsDir: string;
  /** A key no other scenario uses, ending in `label`. */
  key(label: string): string;
  /** Starts another server (a fresh channel and data) for this scenario only. */
  startServer(settings?: ServerSettings): Promise<ServerHandle>;
  /** Starts another driver of the runtime under test on `channel`, stopped after the scenario. */
  startDriver(label: string, channel: string): Promise<DriverClient>;
  /** Connects another client of the driver, closed after the scenario. */
  connect(client: string, channel: string, options?: ConnectOptionsJson): Promise<void>;
  /** Runs `action` after the scenario, pass or fail (last registered runs first). */
  defer(action: () => unknown): void;
}

/** One behaviour every client must have. */
export interface Scenario {
  /** Unique, stable: runtime files name it in `knownFailures`. */
  readonly name: string;
  /** Capabilities it needs; runtimes without them skip it. */
  readonly needs?: readonly Capability[];
  /** Its time limit, in ms; default 30 s. */
  readonly timeoutMs?: number;
  run(context: ScenarioContext): Promise<void>;
}
