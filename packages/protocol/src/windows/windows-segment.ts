// Shared-memory segments on Windows (spec/transport.md#windows-segments): pagefile-backed
// named file mappings in the session's `Local\` namespace, private to this user. A Windows
// mapping has no name of its own to remove: it exists while any process holds a handle or a
// view of it. So a channel is two mappings: a small *locator* under the channel's segment
// name, held only by its server (it vanishes when the server's process ends, however it
// ends), which names the *instance* holding the real segment, held by the server and its
// clients. A new server makes a new instance, so clients of a dead one that still map theirs
// never stand in its way.
import { IpcError } from '../errors.ts';
import { ErrorCode } from '../gen/types.ts';
import {
  type Kernel32Calls,
  MEMORY_BASIC_INFORMATION_BYTES,
  REGION_SIZE_OFFSET,
  win32,
} from './kernel32-calls.ts';
import {
  doorbellEventName,
  instanceName,
  isInstanceTag,
  locatorName,
  MAX_INSTANCE_TAG_BYTES,
  newInstanceTag,
} from './windows-names.ts';
import { windowsError } from './windows-os-error.ts';
import { checkPrivateObject } from './windows-security.ts';

/** What a segment needs of its platform: the calls, this user's SID and descriptor. */
export interface WindowsSecurity {
  readonly calls: Kernel32Calls;
  /** This user's SID string. */
  readonly sid: string;
  /** SECURITY_ATTRIBUTES granting this user only (windows-security.ts). */
  readonly attributes: Uint8Array;
}

/** Bytes of a locator mapping: `u32 magic, u32 tag length, tag` (ASCII), zero-padded. */
export const LOCATOR_BYTES = 4096;
/** `PDBL` as a little-endian u32: written last, so a reader never sees half a locator. */
export const LOCATOR_MAGIC = 0x4c424450;
const LOCATOR_READ_BYTES = 8 + MAX_INSTANCE_TAG_BYTES;

/** The instance tag a locator's first bytes name, or undefined when they name none. */
export function parseLocator(bytes: Uint8Array): string | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8 || view.getUint32(0, true) !== LOCATOR_MAGIC) return undefined;
  const length = view.getUint32(4, true);
  if (length < 1 || length > MAX_INSTANCE_TAG_BYTES || 8 + length > bytes.byteLength) {
    return undefined;
  }
  const tag = String.fromCharCode(...bytes.subarray(8, 8 + length));
  return isInstanceTag(tag) ? tag : undefined;
}

/** One mapped segment (an instance mapping) and the doorbell events of its words. */
export class WindowsSegment {
  /** The channel's segment name (as on POSIX: `/pdbi-…`). */
  readonly name: string;
  /** The instance mapping's `Local\` name: doorbell events are named after it. */
  readonly instance: string;
  /** Size in bytes: the view's size (whole pages). */
  readonly size: number;
  /** A zero-copy ArrayBuffer over the view (invalid after {@link unmap}). */
  readonly buffer: ArrayBuffer;
  /** Always 0: the view is the whole buffer. */
  readonly byteOffset = 0;
  readonly security: WindowsSecurity;
  /** Closes an event handle once no wait uses it (the process waiter's, or CloseHandle). */
  retire: (handle: bigint) => void;
  private readonly address: bigint;
  private readonly mapping: bigint;
  private locator: bigint;
  private readonly events = new Map<number, bigint>();
  private mapped = true;

  private constructor(
    security: WindowsSecurity,
    name: string,
    instance: string,
    mapping: bigint,
    address: bigint,
    size: number,
    locator: bigint,
  ) {
    this.security = security;
    this.name = name;
    this.instance = instance;
    this.mapping = mapping;
    this.address = address;
    this.size = size;
    this.locator = locator;
    this.buffer = security.calls.view(address, size);
    this.retire = (handle) => security.calls.closeHandle(handle);
  }

  /**
   * Creates the instance mapping (`size` bytes, committed now, so an exhausted commit limit
   * fails here with `TooLarge`), then the locator naming it. An existing locator (a live or
   * starting server, or one an opener holds for an instant) fails with ERROR_ALREADY_EXISTS,
   * which the message calls EEXIST as on POSIX.
   */
  static create(
    security: WindowsSecurity,
    name: string,
    size: number,
    pid: number,
    nowMs: number,
  ): WindowsSegment {
    const { calls, attributes } = security;
    const locator = locatorName(name);
    const tag = newInstanceTag(pid, nowMs);
    const instance = instanceName(locator, tag);
    const protect = win32.PAGE_READWRITE | win32.SEC_COMMIT;
    const mapping = createMapping(calls, attributes, protect, size, instance);
    let address = 0n;
    let locatorHandle = 0n;
    try {
      address = calls.mapViewOfFile(mapping, win32.FILE_MAP_ALL_ACCESS, size);
      if (address === 0n) throw windowsError('MapViewOfFile', calls.getLastError(), instance);
      locatorHandle = createMapping(calls, attributes, protect, LOCATOR_BYTES, locator);
      writeLocator(calls, locatorHandle, locator, tag);
      return new WindowsSegment(security, name, instance, mapping, address, size, locatorHandle);
    } catch (error) {
      if (locatorHandle !== 0n) calls.closeHandle(locatorHandle);
      if (address !== 0n) calls.unmapViewOfFile(address);
      calls.closeHandle(mapping);
      throw error;
    }
  }

  /**
   * Maps the instance the channel's locator names, whatever its size. No locator: IpcError
   * `Unavailable`; a locator or instance not private to this user: `PermissionDenied`.
   */
  static open(security: WindowsSecurity, name: string): WindowsSegment {
    const { calls, sid } = security;
    const locator = locatorName(name);
    const tag = readLocator(security, locator);
    const instance = instanceName(locator, tag);
    const mapping = calls.openFileMapping(win32.FILE_MAP_ALL_ACCESS, instance);
    if (mapping === 0n) throw windowsError('OpenFileMappingW', calls.getLastError(), instance);
    let address = 0n;
    try {
      checkPrivateObject(calls, mapping, instance, sid);
      address = calls.mapViewOfFile(mapping, win32.FILE_MAP_ALL_ACCESS, 0);
      if (address === 0n) throw windowsError('MapViewOfFile', calls.getLastError(), instance);
      // The view's real size (whole pages), never one read from the header.
      const info = new Uint8Array(MEMORY_BASIC_INFORMATION_BYTES);
      if (calls.virtualQuery(address, info) === 0) {
        throw windowsError('VirtualQuery', calls.getLastError(), instance);
      }
      const size = Number(new DataView(info.buffer).getBigUint64(REGION_SIZE_OFFSET, true));
      return new WindowsSegment(security, name, instance, mapping, address, size, 0n);
    } catch (error) {
      if (address !== 0n) calls.unmapViewOfFile(address);
      calls.closeHandle(mapping);
      throw error;
    }
  }

  /** The event standing for the doorbell word at byte `offset`, created on first use. */
  eventAt(offset: number): bigint {
    if (!this.mapped || offset < 0 || offset + 4 > this.size || offset % 4 !== 0) {
      throw new RangeError(`offset ${offset} is outside segment ${this.name}`);
    }
    const known = this.events.get(offset);
    if (known !== undefined) return known;
    const { calls, attributes, sid } = this.security;
    const name = doorbellEventName(this.instance, offset);
    const event = calls.createEvent(attributes, 0, 0, name);
    if (event === 0n) throw windowsError('CreateEventW', calls.getLastError(), name);
    if (calls.getLastError() === win32.ERROR_ALREADY_EXISTS) {
      // Made by the peer, or planted by another user: trusted only once it is private to us.
      try {
        checkPrivateObject(calls, event, name, sid);
      } catch (error) {
        calls.closeHandle(event);
        throw error;
      }
    }
    this.events.set(offset, event);
    return event;
  }

  /**
   * Drops this process's hold on the channel's name (the server's locator); the instance
   * stays while it is mapped. Later calls do nothing.
   */
  releaseName(): void {
    if (this.locator === 0n) return;
    this.security.calls.closeHandle(this.locator);
    this.locator = 0n;
  }

  /** Unmaps the view and closes every handle; later calls do nothing. */
  unmap(): void {
    if (!this.mapped) return;
    this.mapped = false;
    const { calls } = this.security;
    this.releaseName();
    for (const event of this.events.values()) this.retire(event);
    this.events.clear();
    calls.unmapViewOfFile(this.address);
    calls.closeHandle(this.mapping);
  }
}

function createMapping(
  calls: Kernel32Calls,
  attributes: Uint8Array,
  protect: number,
  size: number,
  name: string,
): bigint {
  const handle = calls.createFileMapping(
    attributes,
    protect,
    Math.floor(size / 2 ** 32),
    size >>> 0,
    name,
  );
  if (handle === 0n) throw windowsError('CreateFileMappingW', calls.getLastError(), name);
  // A handle to an existing object comes back with ERROR_ALREADY_EXISTS: not ours to use.
  if (calls.getLastError() === win32.ERROR_ALREADY_EXISTS) {
    calls.closeHandle(handle);
    throw windowsError('CreateFileMappingW', win32.ERROR_ALREADY_EXISTS, name);
  }
  return handle;
}

function writeLocator(calls: Kernel32Calls, handle: bigint, name: string, tag: string): void {
  const address = calls.mapViewOfFile(handle, win32.FILE_MAP_ALL_ACCESS, LOCATOR_BYTES);
  if (address === 0n) throw windowsError('MapViewOfFile', calls.getLastError(), name);
  try {
    const words = new Int32Array(calls.view(address, LOCATOR_BYTES));
    const bytes = new Uint8Array(words.buffer);
    for (let i = 0; i < tag.length; i++) bytes[8 + i] = tag.charCodeAt(i);
    Atomics.store(words, 1, tag.length);
    Atomics.store(words, 0, LOCATOR_MAGIC);
  } finally {
    calls.unmapViewOfFile(address);
  }
}

function readLocator(security: WindowsSecurity, locator: string): string {
  const { calls, sid } = security;
  const handle = calls.openFileMapping(win32.FILE_MAP_ALL_ACCESS, locator);
  if (handle === 0n) throw windowsError('OpenFileMappingW', calls.getLastError(), locator);
  // Held for the few calls below only: a locator must vanish with its server.
  try {
    checkPrivateObject(calls, handle, locator, sid);
    const address = calls.mapViewOfFile(handle, win32.FILE_MAP_ALL_ACCESS, LOCATOR_READ_BYTES);
    if (address === 0n) throw windowsError('MapViewOfFile', calls.getLastError(), locator);
    const bytes = new Uint8Array(LOCATOR_READ_BYTES);
    try {
      calls.rtlMoveMemory(bytes, address, bytes.length);
    } finally {
      calls.unmapViewOfFile(address);
    }
    const tag = parseLocator(bytes);
    if (tag === undefined) {
      throw new IpcError(
        ErrorCode.Unavailable,
        `${locator} names no segment (its server is starting, or it is not a channel)`,
      );
    }
    return tag;
  } finally {
    calls.closeHandle(handle);
  }
}
