// What a driver holds between commands: its named clients and live subscriptions.
import type { ConnectOptions, SubscribeOptions, Subscription } from '@pluresdb-ipc/protocol';
import type { ClientApi, ConnectClient } from './client-api.ts';
import { CommandError } from './command-args.ts';
import type { EventLine } from './driver-protocol.ts';
import { wireError } from './wire-error.ts';
import { changeJson } from './wire-values.ts';

/** The client a command runs on when it names none. */
export const MAIN_CLIENT = 'main';

/** A driver's clients and subscriptions. */
export class DriverSession {
  // Closed clients stay here, so later commands observe what the API does after `close`.
  private readonly clients = new Map<string, ClientApi>();
  private readonly subscriptions = new Map<number, Subscription>();
  private nextHandle = 1;

  constructor(
    /** The runtime package's `connect`. */
    readonly connectClient: ConnectClient,
    /** The runtime's name, as `info` reports it. */
    readonly runtime: string,
    private readonly push: (line: EventLine) => void,
  ) {}

  /** The client called `name`. */
  client(name: string): ClientApi {
    const client = this.clients.get(name);
    if (!client) throw new CommandError(`no client "${name}": connect it first`);
    return client;
  }

  /** Connects a client called `name`, closing the one it replaces. */
  async connect(name: string, channel: string, options: ConnectOptions): Promise<void> {
    const previous = this.clients.get(name);
    this.clients.delete(name);
    await previous?.close();
    this.clients.set(name, await this.connectClient(channel, options));
  }

  /** Subscribes through `client`; events are pushed under the returned handle. */
  async subscribe(
    client: ClientApi,
    prefix: string,
    options: Omit<SubscribeOptions, 'onEnd'>,
  ): Promise<{ handle: number; id: bigint; seq: bigint | undefined }> {
    // The handle exists before the subscription does: events may arrive before subscribe's
    // promise settles, and must already carry it.
    const handle = this.nextHandle++;
    const subscription = await client.subscribe(
      prefix,
      (change) => this.push({ event: handle, change: changeJson(change) }),
      { ...options, onEnd: (error) => this.push({ event: handle, end: wireError(error) }) },
    );
    this.subscriptions.set(handle, subscription);
    return { handle, id: subscription.id, seq: subscription.lastSeq };
  }

  /** Removes and returns the subscription of `handle`. */
  takeSubscription(handle: number): Subscription {
    const subscription = this.subscriptions.get(handle);
    if (!subscription) throw new CommandError(`no subscription with handle ${handle}`);
    this.subscriptions.delete(handle);
    return subscription;
  }

  /** Closes every client (at stdin's end); failures are ignored, the driver is exiting. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.close().catch(() => {})));
    this.clients.clear();
    this.subscriptions.clear();
  }
}
