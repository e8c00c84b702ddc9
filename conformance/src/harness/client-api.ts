// The one place that names the client type the driver drives: the shared PluresClient
// interface every runtime's IPCClient implements.
import type { ConnectOptions, PluresClient } from '@pluresdb-ipc/protocol';

/** The client API a driver exercises: what every runtime's `IPCClient` offers. */
export type ClientApi = PluresClient;

/** A runtime's `IPCClient.connect`, as a driver receives it. */
export type ConnectClient = (channel: string, options: ConnectOptions) => Promise<ClientApi>;
