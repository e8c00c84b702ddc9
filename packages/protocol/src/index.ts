// Public API of @pluresdb-ipc/protocol: the generated codecs plus the runtime they rely on.

export type * from './descriptor.ts';
export { IpcError, type IpcErrorOptions } from './errors.ts';
export { schemaDescriptor } from './gen/descriptors.ts';
export * from './gen/readers.ts';
export * from './gen/types.ts';
export * from './gen/verifiers.ts';
export * from './gen/writers.ts';
export { type FlatcJson, fromFlatcJson, toFlatcJson } from './json-form.ts';
export { atomicsFutex, type Futex, type FutexWaitResult } from './ring/futex.ts';
export * from './ring/ring-layout.ts';
export { RingReader } from './ring/ring-reader.ts';
export { RingView } from './ring/ring-view.ts';
export { type WaitOptions, type WaitOutcome, waitForData, waitForSpace } from './ring/ring-wait.ts';
export { RingWriter } from './ring/ring-writer.ts';
export { WireReader } from './wire/reader.ts';
export { decodeUtf8, encodeUtf8, isWellFormedUtf8 } from './wire/utf8.ts';
export { defaultVerifyLimits, Verifier, type VerifyLimits } from './wire/verifier.ts';
