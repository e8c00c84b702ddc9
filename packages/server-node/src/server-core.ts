// What a session needs from the server that hosts it.
import type { IpcError } from '@pluresdb-ipc/protocol';
import type { FrameBuilder } from '@pluresdb-ipc/protocol/messages';
import type {
  AsyncFutex,
  ControlView,
  FrameCodec,
  ProcessIdentity,
  SegmentLayout,
  SpillBuffers,
} from '@pluresdb-ipc/protocol/transport';
import type { Store } from '@pluresdb-ipc/store';
import type { ResolvedServeOptions } from './server-options.ts';

/** The server, as its sessions see it. */
export interface ServerCore {
  readonly options: ResolvedServeOptions;
  readonly control: ControlView;
  readonly layout: SegmentLayout;
  readonly futex: AsyncFutex;
  readonly store: Store;
  /** One builder for every frame the server encodes (each is copied out at once). */
  readonly builder: FrameBuilder;
  /** Decodes requests and encodes answers, the hottest (get, put, ping) through templates. */
  readonly frames: FrameCodec;
  /** Reused buffers for big frames waiting for room in a ring. */
  readonly spill: SpillBuffers;
  readonly identity: ProcessIdentity;
  readonly version: string;
  /** True once shutdown began: no new sessions. */
  readonly stopping: boolean;
  /** Requests handled since start. */
  requests: number;
  /** Writes issued and not yet answered, across sessions. */
  inFlight: number;
  /** A write settled (its answer is sent). */
  writeSettled(): void;
  /** A write failed (logged for the operator when the store failed it). */
  writeFailed(error: IpcError): void;
  /** Wakes the server loop if it sleeps, so it looks at every session again. */
  kick(): void;
  /**
   * The output queued for all sessions passed `maxOutboundBytes`: cuts the sessions furthest
   * behind until it is back within it.
   */
  shedOutbound(): void;
  log(line: string): void;
  statsForClients(): {
    clients: number;
    subscriptions: number;
    requests: bigint;
    uptimeMs: bigint;
    version: string;
  };
}
