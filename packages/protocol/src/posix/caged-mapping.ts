// Mapping a segment where the runtime forbids ArrayBuffers over foreign memory (V8's memory
// cage, Electron): over pages of a buffer the runtime allocated itself
// (spec/transport.md#mapping-in-a-caged-runtime).
import { type CagedMappingCalls, MAP_FAILED } from './libc-calls.ts';

/** A segment mapped inside a runtime-owned buffer. */
export interface CagedMapping {
  /** The buffer; the segment is `length` bytes at `byteOffset` in it. */
  readonly buffer: ArrayBuffer;
  /** Offset of the first mapped page in {@link buffer}. */
  readonly byteOffset: number;
  /** The page-aligned address of the segment's byte 0. */
  readonly address: bigint;
  /** Bytes mapped: the segment's size rounded up to whole pages. */
  readonly mappedBytes: number;
}

// Buffers that hold a shared mapping. A segment dropped without `unmap` must not let its
// buffer be collected: the allocator would hand the still-shared pages to the next
// allocation. Held here it leaks instead, which is the lesser harm.
const mapped = new Set<ArrayBuffer>();

/**
 * Maps `length` bytes of `fd` (from offset 0) over a page-aligned range of a new buffer:
 * one page more than needed is allocated, the range starts at the first page boundary in
 * it, and only whole pages inside the buffer are replaced. Returns `MAP_FAILED` as the
 * address when mmap fails (errno is the binding's).
 */
export function mapCaged(calls: CagedMappingCalls, fd: number, length: number): CagedMapping {
  const page = calls.pageSize();
  const mappedBytes = Math.ceil(length / page) * page;
  const buffer = calls.allocate(mappedBytes + page);
  const start = calls.addressOf(buffer);
  const bigPage = BigInt(page);
  const address = ((start + bigPage - 1n) / bigPage) * bigPage;
  const byteOffset = Number(address - start);
  // The slack around the mapping is never shown to anyone, but the buffer is not zeroed.
  new Uint8Array(buffer, 0, byteOffset).fill(0);
  new Uint8Array(buffer, byteOffset + mappedBytes).fill(0);
  const result = calls.mapSharedAt(address, length, fd);
  if (result === MAP_FAILED) return { buffer, byteOffset, address: MAP_FAILED, mappedBytes };
  if (result !== address) {
    // MAP_FIXED places the mapping where asked or fails; anything else is a broken binding.
    calls.mapPrivateAt(result, mappedBytes);
    throw new Error(`mmap placed a segment at 0x${result.toString(16)}, not where asked`);
  }
  mapped.add(buffer);
  return { buffer, byteOffset, address, mappedBytes };
}

/**
 * Ends a caged mapping: private anonymous pages go back over the range while the buffer is
 * still referenced (the kernel drops the shared pages), and only then may the buffer be
 * collected. Views of it afterwards see zeros and their writes stay in this process.
 */
export function releaseCaged(calls: CagedMappingCalls, mapping: CagedMapping): number {
  const result = calls.mapPrivateAt(mapping.address, mapping.mappedBytes);
  if (result === MAP_FAILED) return -1;
  mapped.delete(mapping.buffer);
  return 0;
}

/** How many caged mappings this process holds (for tests). */
export function cagedMappingCount(): number {
  return mapped.size;
}
