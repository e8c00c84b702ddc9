// POSIX shared-memory segments over any runtime's libc binding
// (spec/transport.md#naming-and-permissions).
import { IpcError } from '../errors.ts';
import { ErrorCode } from '../gen/types.ts';
import { type CagedMapping, mapCaged, releaseCaged } from './caged-mapping.ts';
import { checkPrivateFile } from './file-owner.ts';
import { type LibcCalls, linux, MAP_FAILED } from './libc-calls.ts';
import { osError } from './os-error.ts';

/**
 * One mapped shared-memory segment. `buffer` is a plain ArrayBuffer holding the mapping (no
 * runtime can make a SharedArrayBuffer over foreign memory); cross-process words in it must be
 * accessed with Atomics on an Int32Array view (shared BRIEF §2). The segment is the `size`
 * bytes at `byteOffset` in `buffer`: 0 for a binding's zero-copy view, a page boundary inside
 * a runtime-owned buffer for a caged binding (spec/transport.md#mapping-in-a-caged-runtime).
 */
export class PosixSegment {
  /** The segment's name, as given to shm_open (starts with "/"). */
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
  /**
   * The buffer holding the mapping. After {@link unmap}, a view over foreign memory crashes
   * the process when touched; a caged buffer reads zeros and keeps its writes private.
   */
  readonly buffer: ArrayBuffer;
  /** Where the segment's byte 0 is in {@link buffer}. */
  readonly byteOffset: number;
  /** The libc binding it was made with (its futex calls go through the same binding). */
  readonly libc: LibcCalls;
  private readonly address: bigint;
  private readonly caged: CagedMapping | undefined;
  private mapped = true;

  private constructor(
    libc: LibcCalls,
    name: string,
    size: number,
    address: bigint,
    caged: CagedMapping | undefined,
  ) {
    this.libc = libc;
    this.name = name;
    this.size = size;
    this.address = address;
    this.caged = caged;
    this.buffer = caged?.buffer ?? libc.view(address, size);
    this.byteOffset = caged?.byteOffset ?? 0;
  }

  /**
   * Creates a new segment of `size` bytes, readable and writable by this user only (mode
   * 0600), and maps it. Fails if a segment of that name exists. With `reserve`, its pages are
   * allocated now (posix_fallocate), so a full /dev/shm fails here with `TooLarge` instead of
   * killing a process with SIGBUS when it first touches a page.
   */
  static create(libc: LibcCalls, name: string, size: number, reserve = false): PosixSegment {
    const { O_RDWR, O_CREAT, O_EXCL } = libc.constants ?? linux;
    const fd = libc.shmOpen(name, O_RDWR | O_CREAT | O_EXCL, 0o600);
    if (fd < 0) throw osError('shm_open', libc.errno(), name);
    try {
      if (libc.ftruncate(fd, size) !== 0) {
        const error = osError('ftruncate', libc.errno(), name);
        libc.shmUnlink(name);
        throw error;
      }
      const failed = reserve ? libc.posixFallocate(fd, 0, size) : 0;
      if (failed !== 0) {
        libc.shmUnlink(name);
        throw osError('posix_fallocate', failed, `${name}, ${size} bytes`);
      }
      return PosixSegment.map(libc, fd, name, size);
    } finally {
      libc.close(fd);
    }
  }

  /**
   * Maps an existing segment: `size` bytes, or (by default) its whole current size. Refuses
   * with `PermissionDenied` a segment another user owns or that others may open.
   */
  static open(libc: LibcCalls, name: string, size?: number): PosixSegment {
    const fd = libc.shmOpen(name, (libc.constants ?? linux).O_RDWR, 0);
    if (fd < 0) throw osError('shm_open', libc.errno(), name);
    try {
      checkPrivateFile(libc, fd, name);
      // The real size, not one read from the segment's header: mapping past the end of the
      // object would turn a lie in the header into SIGBUS.
      const actual = libc.sizeOf(fd);
      if (actual < 0) throw osError('lseek', libc.errno(), name);
      const length = size ?? actual;
      if (length <= 0 || length > actual) {
        throw new IpcError(
          ErrorCode.Unavailable,
          `segment ${name} is ${actual} bytes, not ${length}`,
        );
      }
      return PosixSegment.map(libc, fd, name, length);
    } finally {
      libc.close(fd);
    }
  }

  /** Removes a segment's name; mappings stay valid until unmapped. Missing names are ignored. */
  static unlink(libc: LibcCalls, name: string): void {
    libc.shmUnlink(name);
  }

  private static map(libc: LibcCalls, fd: number, name: string, size: number): PosixSegment {
    if (libc.caged !== undefined) {
      const caged = mapCaged(libc.caged, fd, size);
      if (caged.address === MAP_FAILED) throw osError('mmap', libc.errno(), name);
      return new PosixSegment(libc, name, size, caged.address, caged);
    }
    const address = libc.mapShared(fd, size);
    if (address === MAP_FAILED) throw osError('mmap', libc.errno(), name);
    return new PosixSegment(libc, name, size, address, undefined);
  }

  /** The address of byte `offset` of the mapping, for futex calls. */
  addressOf(offset: number): bigint {
    if (!this.mapped || offset < 0 || offset + 4 > this.size) {
      throw new RangeError(`offset ${offset} is outside segment ${this.name}`);
    }
    return this.address + BigInt(offset);
  }

  /**
   * Unmaps the segment; later calls do nothing. A zero-copy view must be dropped first. A
   * caged buffer gets private anonymous pages over the mapped range instead (so the runtime's
   * allocator never gets shared pages back); its views then read zeros.
   */
  unmap(): void {
    if (!this.mapped) return;
    this.mapped = false;
    if (this.caged !== undefined) {
      if (this.libc.caged !== undefined) releaseCaged(this.libc.caged, this.caged);
      return;
    }
    this.libc.munmap(this.address, this.size);
  }
}
