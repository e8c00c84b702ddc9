// Little-endian integer reads from a Uint8Array (FlatBuffers is little-endian). Plain byte
// reads rather than a DataView: constructing a DataView per frame costs ~90 ns here, more than
// all of a small frame's integer reads (bench/codec.bench.ts).

/** The unsigned 16-bit integer at `at`. */
export function readU16(bytes: Uint8Array, at: number): number {
  return (bytes[at] as number) | ((bytes[at + 1] as number) << 8);
}

/** The signed 32-bit integer at `at`. */
export function readI32(bytes: Uint8Array, at: number): number {
  return (
    (bytes[at] as number) |
    ((bytes[at + 1] as number) << 8) |
    ((bytes[at + 2] as number) << 16) |
    ((bytes[at + 3] as number) << 24)
  );
}

/** The unsigned 32-bit integer at `at`. */
export function readU32(bytes: Uint8Array, at: number): number {
  return readI32(bytes, at) >>> 0;
}
