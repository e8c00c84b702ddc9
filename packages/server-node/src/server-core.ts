// What a session needs from the server that hosts it.
import type {
  AsyncFutex,
  ControlView,
  FrameBuilder,
  IdFrameCodec,
  IpcError,
  KeyValueFrameCodec,
  ProcessIdentity,
  SegmentLayout,
  SpillBuffers,
  TailFrameCodec,
  WriteAnswerCodec,
} from '@pluresdb-ipc/protocol';
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
  /** A get's answer with a value, encoded by writing only the id and the value. */
  readonly getAnswers: TailFrameCodec<Uint8Array>;
  /** Get requests, decoded without the generic verifier and decoder. */
  readonly getRequests: TailFrameCodec<string>;
  /** Put requests, decoded the same way (KeyValueFrameCodec). */
  readonly putRequests: KeyValueFrameCodec;
  /** A write's answer, encoded by writing only the id, timestamp and count. */
  readonly writeAnswers: WriteAnswerCodec;
  /** Pings without a payload, decoded by comparing a frame made once (IdFrameCodec). */
  readonly pingRequests: IdFrameCodec;
  /** Their pongs, encoded by writing only the id. */
  readonly pongAnswers: IdFrameCodec;
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
