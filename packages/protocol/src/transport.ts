// @pluresdb-ipc/protocol/transport: what a runtime binding (client-node, client-bun,
// client-deno) and the server build on: the platform seam and its POSIX implementation,
// rings, the segment layout, wake-up timing, the client core and the frame codec
// (spec/transport.md).
export { CLIENT_PROTOCOL } from './client/client-connection.ts';
export { ClientCore } from './client/client-core.ts';
export { IpcClient } from './client/ipc-client.ts';
export {
  type DocumentInput,
  documentBytes,
  type JsonObject,
  type JsonValue,
  parseDocument,
} from './client/json-values.ts';
export { FrameCodec } from './codec/frame-codec.ts';
export {
  type CagedMapping,
  cagedMappingCount,
  mapCaged,
  releaseCaged,
} from './posix/caged-mapping.ts';
export { checkPrivateFile, fileOwnerAndMode } from './posix/file-owner.ts';
export {
  type CagedMappingCalls,
  CLOCK_MONOTONIC,
  fstatSyscallNumber,
  futexSyscallNumber,
  type LibcCalls,
  linux,
  MAP_FAILED,
  type PosixConstants,
  STAT_BUFFER_BYTES,
  SYS_FUTEX_WAITV,
  timespecOf,
  type WaitvCalls,
} from './posix/libc-calls.ts';
export { osError } from './posix/os-error.ts';
export { posixFutex } from './posix/posix-futex.ts';
export { type HostServices, posixPlatform, sharedSegment } from './posix/posix-platform.ts';
export { PosixSegment } from './posix/posix-segment.ts';
export { processWaiterOf } from './posix/posix-waiter.ts';
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
  FUTEX_WAITV_MAX,
  ProcessWaiter,
  type WaitvBinding,
} from './transport/process-waiter.ts';
export {
  checkChannelName,
  DEFAULT_CHANNEL,
  fnv1a64,
  segmentName,
} from './transport/segment-name.ts';
export { MAX_SLEEP_MS, SPIN_SLICE_MS } from './transport/wait-timing.ts';
export {
  type Kernel32Calls,
  MEMORY_BASIC_INFORMATION_BYTES,
  REGION_SIZE_OFFSET,
  readWideString,
  win32,
} from './windows/kernel32-calls.ts';
export { waitMs, waitOutcome, windowsFutex } from './windows/windows-doorbell.ts';
export {
  doorbellEventName,
  instanceName,
  isInstanceTag,
  locatorName,
  newInstanceTag,
} from './windows/windows-names.ts';
export { windowsError, windowsErrorCode, windowsErrorName } from './windows/windows-os-error.ts';
export {
  pathSddl,
  privatePathSddl,
  type StorePathKind,
  type WindowsPathPrivacy,
  windowsPathPrivacy,
} from './windows/windows-path-privacy.ts';
export {
  type WindowsHost,
  type WindowsPlatformOptions,
  windowsPlatform,
} from './windows/windows-platform.ts';
export {
  windowsIdentity,
  windowsIsAlive,
  windowsPidExists,
  windowsSelf,
} from './windows/windows-process.ts';
export {
  checkPrivateObject,
  currentUserSid,
  objectSddl,
  privateSddl,
  sddlProblem,
  windowsUserId,
} from './windows/windows-security.ts';
export {
  LOCATOR_BYTES,
  LOCATOR_MAGIC,
  parseLocator,
  type WindowsSecurity,
  WindowsSegment,
} from './windows/windows-segment.ts';
export { LANE_SLEEPERS, type WindowsWaitBinding, WindowsWaiter } from './windows/windows-waiter.ts';
export { now, POLLS_PER_CLOCK_READ } from './wire/clock.ts';
