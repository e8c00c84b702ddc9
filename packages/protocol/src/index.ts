// Public API of @pluresdb-ipc/protocol: the generated codecs plus the runtime they rely on.

export type {
  BatchWrite,
  ListPageOf,
  ListQuery,
  PluresClient,
  Subscription,
  WriteOutcome,
} from './client/client-api.ts';
export { CLIENT_PROTOCOL } from './client/client-connection.ts';
export { ClientCore } from './client/client-core.ts';
export type { CallOptions, ConnectOptions, ReconnectOptions } from './client/client-options.ts';
export { IpcClient } from './client/ipc-client.ts';
export {
  type DocumentInput,
  documentBytes,
  type JsonObject,
  type JsonValue,
  parseDocument,
} from './client/json-values.ts';
export type { ChangeEvent, WatchOptions } from './client/watch-queue.ts';
export { FrameCodec } from './codec/frame-codec.ts';
export type * from './descriptor.ts';
export { IpcError, type IpcErrorOptions } from './errors.ts';
export { schemaDescriptor } from './gen/descriptors.ts';
export * from './gen/readers.ts';
export * from './gen/types.ts';
export * from './gen/verifiers.ts';
export * from './gen/writers.ts';
export { type FlatcJson, fromFlatcJson, toFlatcJson } from './json-form.ts';
export {
  type CagedMapping,
  cagedMappingCount,
  mapCaged,
  releaseCaged,
} from './posix/caged-mapping.ts';
export { checkPrivateFile, fileOwnerAndMode } from './posix/file-owner.ts';
export {
  type CagedMappingCalls,
  fstatSyscallNumber,
  futexSyscallNumber,
  type LibcCalls,
  linux,
  MAP_FAILED,
  STAT_BUFFER_BYTES,
  timespecOf,
} from './posix/libc-calls.ts';
export { osError } from './posix/os-error.ts';
export { posixFutex } from './posix/posix-futex.ts';
export { type HostServices, posixPlatform, sharedSegment } from './posix/posix-platform.ts';
export { PosixSegment } from './posix/posix-segment.ts';
export {
  processStart,
  procIsAlive,
  procStatField,
  type ReadTextFile,
} from './posix/proc-identity.ts';
export { FramePool } from './ring/frame-pool.ts';
export { atomicsFutex, type Futex, type FutexWaitResult } from './ring/futex.ts';
export { Outbox } from './ring/outbox.ts';
export * from './ring/ring-layout.ts';
export { RingReader } from './ring/ring-reader.ts';
export { RingView } from './ring/ring-view.ts';
export { type WaitOptions, type WaitOutcome, waitForData, waitForSpace } from './ring/ring-wait.ts';
export { RingWriter } from './ring/ring-writer.ts';
export { SpillBuffers } from './ring/spill-buffers.ts';
export * from './transport/control-layout.ts';
export { ControlView, type NewSegment, type SegmentHeader } from './transport/control-view.ts';
export { ringDoorbell } from './transport/doorbell.ts';
export type {
  AbortSignalLike,
  AsyncFutex,
  Platform,
  ProcessIdentity,
  SharedSegment,
} from './transport/platform.ts';
export {
  checkChannelName,
  DEFAULT_CHANNEL,
  fnv1a64,
  segmentName,
} from './transport/segment-name.ts';
export { MAX_SLEEP_MS, SPIN_SLICE_MS } from './transport/wait-timing.ts';
export { now, POLLS_PER_CLOCK_READ } from './wire/clock.ts';
export { FrameBuilder } from './wire/frame-builder.ts';
export { WireReader } from './wire/reader.ts';
export { decodeUtf8, encodeUtf8, isWellFormedUtf8 } from './wire/utf8.ts';
export { defaultVerifyLimits, Verifier, type VerifyLimits } from './wire/verifier.ts';
