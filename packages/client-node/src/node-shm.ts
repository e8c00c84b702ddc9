// POSIX shared-memory segments for Node, through koffi (spec/transport.md#naming-and-permissions).
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import { c, errno, linux, viewMemory } from './libc.ts';
import { osError } from './node-error.ts';

/**
 * One mapped shared-memory segment. `buffer` is a plain ArrayBuffer over the mapping (no
 * runtime can make a SharedArrayBuffer over foreign memory); cross-process words in it must be
 * accessed with Atomics on an Int32Array view (shared BRIEF §2).
 */
export class NodeSegment {
  /** The segment's name, as given to shm_open (starts with "/"). */
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
  /** The mapping. Invalid after {@link unmap}: touching it then crashes the process. */
  readonly buffer: ArrayBuffer;
  private readonly address: bigint;
  private mapped = true;

  private constructor(name: string, size: number, address: bigint) {
    this.name = name;
    this.size = size;
    this.address = address;
    this.buffer = viewMemory(address, size);
  }

  /**
   * Creates a new segment of `size` bytes, readable and writable by this user only (mode
   * 0600), and maps it. Fails if a segment of that name exists. With `reserve`, its pages are
   * allocated now (posix_fallocate), so a full /dev/shm fails here with `TooLarge` instead of
   * killing a process with SIGBUS when it first touches a page.
   */
  static create(name: string, size: number, reserve = false): NodeSegment {
    const fd = c.shmOpen(name, linux.O_RDWR | linux.O_CREAT | linux.O_EXCL, 0o600) as number;
    if (fd < 0) throw osError('shm_open', errno(), name);
    try {
      if ((c.ftruncate(fd, size) as number) !== 0) {
        const error = osError('ftruncate', errno(), name);
        c.shmUnlink(name);
        throw error;
      }
      const failed = reserve ? (c.posixFallocate(fd, 0, size) as number) : 0;
      if (failed !== 0) {
        c.shmUnlink(name);
        throw osError('posix_fallocate', failed, `${name}, ${size} bytes`);
      }
      return NodeSegment.map(fd, name, size);
    } finally {
      c.close(fd);
    }
  }

  /** Maps an existing segment: `size` bytes, or (by default) its whole current size. */
  static open(name: string, size?: number): NodeSegment {
    const fd = c.shmOpen(name, linux.O_RDWR, 0) as number;
    if (fd < 0) throw osError('shm_open', errno(), name);
    try {
      // The real size, not one read from the segment's header: mapping past the end of the
      // object would turn a lie in the header into SIGBUS.
      const actual = Number(c.lseek(fd, 0, linux.SEEK_END) as bigint | number);
      if (actual < 0) throw osError('lseek', errno(), name);
      const length = size ?? actual;
      if (length <= 0 || length > actual) {
        throw new IpcError(
          ErrorCode.Unavailable,
          `segment ${name} is ${actual} bytes, not ${length}`,
        );
      }
      return NodeSegment.map(fd, name, length);
    } finally {
      c.close(fd);
    }
  }

  /** Removes the segment's name; mappings stay valid until unmapped. Missing names are ignored. */
  static unlink(name: string): void {
    c.shmUnlink(name);
  }

  private static map(fd: number, name: string, size: number): NodeSegment {
    const address = c.mmap(null, size, linux.PROT_READ_WRITE, linux.MAP_SHARED, fd, 0) as bigint;
    if (address === linux.MAP_FAILED) throw osError('mmap', errno(), name);
    return new NodeSegment(name, size, address);
  }

  /** The address of byte `offset` of the mapping, for futex calls. */
  addressOf(offset: number): bigint {
    if (!this.mapped || offset < 0 || offset + 4 > this.size) {
      throw new RangeError(`offset ${offset} is outside segment ${this.name}`);
    }
    return this.address + BigInt(offset);
  }

  /** Unmaps the segment. Every view of {@link buffer} must be dropped first. */
  unmap(): void {
    if (!this.mapped) return;
    this.mapped = false;
    c.munmap(this.address, this.size);
  }
}
