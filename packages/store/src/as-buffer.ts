// One place that normalises what lmdb-js reads back.
/**
 * lmdb-js returns a Buffer for ordinary values but a plain Uint8Array for very large ones
 * (seen with 64 MiB); the record codec needs Buffer's methods, so wrap without copying.
 */
export function asBuffer(bytes: Uint8Array | undefined): Buffer | undefined {
  if (bytes === undefined || Buffer.isBuffer(bytes)) return bytes;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}
