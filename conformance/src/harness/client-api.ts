// The one place that names the client type the driver drives: the shared PluresClient
// interface the client every runtime's `connect` returns implements.
import type { ConnectOptions, PluresClient } from '@pluresdb-ipc/protocol';

/** The client API a driver exercises: what every runtime's client offers. */
export type ClientApi = PluresClient;

/** A runtime package's `connect`, as a driver receives it. */
export type ConnectClient = (channel: string, options: ConnectOptions) => Promise<ClientApi>;
