// Fresh memory for a big frame that is about to be written over in full. A zero-filled
// Uint8Array of 1 MiB took ~280 µs here to allocate and fill, one from Buffer.allocUnsafeSlow
// ~120 µs: the zeroing is a pass over memory that is written again at once.

interface UnsafeAllocator {
  allocUnsafeSlow(bytes: number): Uint8Array;
}

// Node, Bun and Deno 2 all have a global Buffer; elsewhere memory comes zero-filled.
const nodeBuffer = (globalThis as { Buffer?: UnsafeAllocator }).Buffer;

/**
 * A new Uint8Array of `bytes` with unspecified contents (possibly stale bytes of this
 * process's own heap): the caller must write every byte before anyone reads it.
 */
export function unfilledBytes(bytes: number): Uint8Array<ArrayBuffer> {
  if (nodeBuffer === undefined) return new Uint8Array(bytes);
  // A plain Uint8Array over the Buffer's own ArrayBuffer: callers hand it on as one.
  return new Uint8Array(nodeBuffer.allocUnsafeSlow(bytes).buffer as ArrayBuffer, 0, bytes);
}
