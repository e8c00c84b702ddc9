// The few Win32 calls the shared-memory transport needs on Windows, as each runtime binds them
// over its own FFI (koffi in Node, bun:ffi in Bun). Everything built on them (segments, the
// doorbells, identities, errors) is shared: see windows-platform.ts and
// spec/transport.md#windows. Each method is the Win32 function of that name, unchanged: it
// returns what the function returns (0 or a NULL handle on failure, then GetLastError).
// Handles and addresses are BigInt (0n for NULL) whatever the runtime's pointer type.

/** The raw kernel32/advapi32 calls (x64 Windows). */
export interface Kernel32Calls {
  /** `CreateFileMappingW(INVALID_HANDLE_VALUE, attributes, protect, high, low, name)`. */
  createFileMapping(
    attributes: Uint8Array | null,
    protect: number,
    sizeHigh: number,
    sizeLow: number,
    name: string,
  ): bigint;
  /** `OpenFileMappingW(access, FALSE, name)`. */
  openFileMapping(access: number, name: string): bigint;
  /** `MapViewOfFile(mapping, access, 0, 0, bytes)` (0 bytes: the whole section). */
  mapViewOfFile(mapping: bigint, access: number, bytes: number): bigint;
  /** `UnmapViewOfFile(address)`: nonzero on success. */
  unmapViewOfFile(address: bigint): number;
  /** `VirtualQuery(address, info, info.byteLength)`: fills a MEMORY_BASIC_INFORMATION (48 bytes). */
  virtualQuery(address: bigint, info: Uint8Array): number;
  /** `CloseHandle(handle)`. */
  closeHandle(handle: bigint): number;
  /** `GetLastError()` of the calling thread, right after the failed call. */
  getLastError(): number;
  /** `CreateEventW(attributes, manualReset, initialState, name)` (name null: unnamed). */
  createEvent(
    attributes: Uint8Array | null,
    manualReset: number,
    initialState: number,
    name: string | null,
  ): bigint;
  /** `SetEvent(event)`. */
  setEvent(event: bigint): number;
  /** `WaitForSingleObject(handle, ms)` on this thread (WAIT_OBJECT_0, WAIT_TIMEOUT, WAIT_FAILED). */
  waitForSingleObject(handle: bigint, ms: number): number;
  /** `WaitForSingleObject` off the calling thread, so the event loop runs meanwhile. */
  waitForSingleObjectAsync(handle: bigint, ms: number): Promise<number>;
  /**
   * `WaitForMultipleObjects(count, handles, FALSE, ms)` off the calling thread (the process's
   * one waiter, spec/transport.md#windows-one-waiter); absent when the binding has none.
   * `handles` must not change until it resolves.
   */
  readonly waitForMultipleObjectsAsync?:
    | ((count: number, handles: BigUint64Array, ms: number) => Promise<number>)
    | undefined;
  /** `GetCurrentProcessId()`. */
  getCurrentProcessId(): number;
  /** `GetCurrentProcess()`: the pseudo-handle -1. */
  getCurrentProcess(): bigint;
  /** `OpenProcess(access, FALSE, pid)`. */
  openProcess(access: number, pid: number): bigint;
  /** `GetProcessTimes(process, &times[0], &times[1], &times[2], &times[3])` (FILETIMEs). */
  getProcessTimes(process: bigint, times: BigUint64Array): number;
  /** `OpenProcessToken(process, access, &token[0])`. */
  openProcessToken(process: bigint, access: number, token: BigUint64Array): number;
  /** `GetTokenInformation(token, infoClass, buffer, buffer.byteLength, &returned[0])`. */
  getTokenInformation(
    token: bigint,
    infoClass: number,
    buffer: Uint8Array,
    returned: Uint32Array,
  ): number;
  /** `ConvertSidToStringSidW(sid, &out[0])` (free the string with LocalFree). */
  convertSidToStringSid(sid: bigint, out: BigUint64Array): number;
  /** `ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, 1, &out[0], NULL)`. */
  convertStringSecurityDescriptor(sddl: string, out: BigUint64Array): number;
  /**
   * `GetSecurityInfo(handle, objectType, info, NULL, NULL, NULL, NULL, &out[0])`: the error
   * code itself (0 on success), not GetLastError; free the descriptor with LocalFree.
   */
  getSecurityInfo(handle: bigint, objectType: number, info: number, out: BigUint64Array): number;
  /**
   * `ConvertSecurityDescriptorToStringSecurityDescriptorW(sd, 1, info, &out[0], NULL)` (free
   * the string with LocalFree).
   */
  convertSecurityDescriptorToString(sd: bigint, info: number, out: BigUint64Array): number;
  /**
   * `GetNamedSecurityInfoW(path, objectType, info, NULL, NULL, NULL, NULL, &out[0])`: the error
   * code itself (0 on success); free the descriptor with LocalFree. Bound where a store runs
   * (the Node server); absent elsewhere.
   */
  readonly getNamedSecurityInfo?:
    | ((path: string, objectType: number, info: number, out: BigUint64Array) => number)
    | undefined;
  /** `SetFileSecurityW(path, info, descriptor)`: nonzero on success. Bound as above. */
  readonly setFileSecurity?:
    | ((path: string, info: number, descriptor: bigint) => number)
    | undefined;
  /** `LocalFree(memory)`. */
  localFree(memory: bigint): bigint;
  /** `lstrlenW(text)`: UTF-16 units before the NUL. */
  lstrlenW(text: bigint): number;
  /** `RtlMoveMemory(destination, source, bytes)`: copies foreign memory into `destination`. */
  rtlMoveMemory(destination: Uint8Array, source: bigint, bytes: number): void;
  /** An ArrayBuffer over `length` bytes of foreign memory at `address` (no copy). */
  view(address: bigint, length: number): ArrayBuffer;
}

/** Win32 constants (winnt.h, winbase.h, winerror.h). */
export const win32 = {
  PAGE_READWRITE: 0x04,
  SEC_COMMIT: 0x8000000,
  FILE_MAP_ALL_ACCESS: 0xf001f,
  PROCESS_QUERY_LIMITED_INFORMATION: 0x1000,
  SYNCHRONIZE: 0x100000,
  TOKEN_QUERY: 0x0008,
  TokenUser: 1,
  SE_KERNEL_OBJECT: 6,
  SE_FILE_OBJECT: 1,
  /** Set with a DACL: the object stops inheriting ACEs from its parent. */
  PROTECTED_DACL_SECURITY_INFORMATION: 0x80000000,
  OWNER_SECURITY_INFORMATION: 0x1,
  DACL_SECURITY_INFORMATION: 0x4,
  WAIT_OBJECT_0: 0,
  WAIT_ABANDONED_0: 0x80,
  WAIT_TIMEOUT: 0x102,
  WAIT_FAILED: 0xffffffff,
  INFINITE: 0xffffffff,
  /** Handles one WaitForMultipleObjects call takes. */
  MAXIMUM_WAIT_OBJECTS: 64,
  ERROR_FILE_NOT_FOUND: 2,
  ERROR_ACCESS_DENIED: 5,
  ERROR_INVALID_PARAMETER: 87,
  ERROR_ALREADY_EXISTS: 183,
} as const;

/** Bytes of MEMORY_BASIC_INFORMATION on x64; RegionSize is the u64 at byte 24. */
export const MEMORY_BASIC_INFORMATION_BYTES = 48;
/** Where RegionSize sits in MEMORY_BASIC_INFORMATION (x64). */
export const REGION_SIZE_OFFSET = 24;

/** Reads the NUL-terminated UTF-16 string at `address` (from a Win32 call's out-parameter). */
export function readWideString(calls: Kernel32Calls, address: bigint): string {
  const units = calls.lstrlenW(address);
  if (units <= 0) return '';
  const bytes = new Uint8Array(units * 2);
  calls.rtlMoveMemory(bytes, address, bytes.length);
  const view = new DataView(bytes.buffer);
  let text = '';
  for (let i = 0; i < units; i++) text += String.fromCharCode(view.getUint16(i * 2, true));
  return text;
}
