// The Win32 calls of the shared-memory transport on Windows, bound through bun:ffi (calls cost
// a fraction of koffi's). bun:ffi has no asynchronous call, so the waits that must not block
// the event loop go through koffi's `.async` on a pool thread (bun-kernel32-async.ts), as on
// Linux (bun-async-wait.ts): measured under Wine, Windows Bun runs koffi's win32 build and
// its event loop keeps running meanwhile. Bound only on Windows (bun-platform.ts picks it).
import { dlopen, FFIType, type Pointer, toArrayBuffer } from 'bun:ffi';
import type { Kernel32Calls } from '@pluresdb-ipc/protocol/transport';
import { waitForMultipleObjectsAsync, waitForSingleObjectAsync } from './bun-kernel32-async.ts';

const { i32, i64, u32, u64, ptr } = FFIType;

function bindKernel32() {
  const kernel32 = dlopen('kernel32.dll', {
    CreateFileMappingW: { args: [i64, ptr, u32, u32, u32, ptr], returns: u64 },
    OpenFileMappingW: { args: [u32, i32, ptr], returns: u64 },
    MapViewOfFile: { args: [u64, u32, u32, u32, u64], returns: u64 },
    UnmapViewOfFile: { args: [u64], returns: i32 },
    VirtualQuery: { args: [u64, ptr, u64], returns: u64 },
    CloseHandle: { args: [u64], returns: i32 },
    GetLastError: { args: [], returns: u32 },
    CreateEventW: { args: [ptr, i32, i32, ptr], returns: u64 },
    SetEvent: { args: [u64], returns: i32 },
    WaitForSingleObject: { args: [u64, u32], returns: u32 },
    GetCurrentProcessId: { args: [], returns: u32 },
    GetCurrentProcess: { args: [], returns: u64 },
    OpenProcess: { args: [u32, i32, u32], returns: u64 },
    GetProcessTimes: { args: [u64, ptr, ptr, ptr, ptr], returns: i32 },
    LocalFree: { args: [u64], returns: u64 },
    lstrlenW: { args: [u64], returns: i32 },
    RtlMoveMemory: { args: [ptr, u64, u64], returns: FFIType.void },
  }).symbols;
  const advapi32 = dlopen('advapi32.dll', {
    OpenProcessToken: { args: [u64, u32, ptr], returns: i32 },
    GetTokenInformation: { args: [u64, i32, ptr, u32, ptr], returns: i32 },
    ConvertSidToStringSidW: { args: [u64, ptr], returns: i32 },
    ConvertStringSecurityDescriptorToSecurityDescriptorW: {
      args: [ptr, u32, ptr, ptr],
      returns: i32,
    },
    GetSecurityInfo: { args: [u64, i32, u32, ptr, ptr, ptr, ptr, ptr], returns: u32 },
    ConvertSecurityDescriptorToStringSecurityDescriptorW: {
      args: [u64, u32, u32, ptr, ptr],
      returns: i32,
    },
  }).symbols;
  return { ...kernel32, ...advapi32 };
}

/** Stands for the binding where there is no kernel32: any use throws. */
function noKernel32(): ReturnType<typeof bindKernel32> {
  return new Proxy({} as ReturnType<typeof bindKernel32>, {
    get() {
      throw new Error('the kernel32 binding is available on Windows only');
    },
  });
}

const fn = process.platform === 'win32' ? bindKernel32() : noKernel32();

/** A NUL-terminated UTF-16LE copy of `text` for an `LPCWSTR` argument. */
function wide(text: string): Uint8Array {
  return Buffer.from(`${text}\0`, 'utf16le');
}

/** `INVALID_HANDLE_VALUE`: a mapping backed by the pagefile. */
const INVALID_HANDLE_VALUE = -1n;

/** The Bun binding of the transport's Win32 calls. */
export const bunKernel32: Kernel32Calls = {
  createFileMapping: (attributes, protect, high, low, name) =>
    BigInt(fn.CreateFileMappingW(INVALID_HANDLE_VALUE, attributes, protect, high, low, wide(name))),
  openFileMapping: (access, name) => BigInt(fn.OpenFileMappingW(access, 0, wide(name))),
  mapViewOfFile: (mapping, access, bytes) => BigInt(fn.MapViewOfFile(mapping, access, 0, 0, bytes)),
  unmapViewOfFile: (address) => fn.UnmapViewOfFile(address),
  virtualQuery: (address, info) => Number(fn.VirtualQuery(address, info, info.byteLength)),
  closeHandle: (handle) => fn.CloseHandle(handle),
  getLastError: () => fn.GetLastError(),
  createEvent: (attributes, manual, initial, name) =>
    BigInt(fn.CreateEventW(attributes, manual, initial, name === null ? null : wide(name))),
  setEvent: (event) => fn.SetEvent(event),
  waitForSingleObject: (handle, ms) => fn.WaitForSingleObject(handle, ms),
  waitForSingleObjectAsync,
  waitForMultipleObjectsAsync,
  getCurrentProcessId: () => fn.GetCurrentProcessId(),
  getCurrentProcess: () => BigInt(fn.GetCurrentProcess()),
  openProcess: (access, pid) => BigInt(fn.OpenProcess(access, 0, pid)),
  getProcessTimes: (process, times) =>
    fn.GetProcessTimes(
      process,
      times.subarray(0, 1),
      times.subarray(1, 2),
      times.subarray(2, 3),
      times.subarray(3, 4),
    ),
  openProcessToken: (process, access, token) => fn.OpenProcessToken(process, access, token),
  getTokenInformation: (token, infoClass, buffer, returned) =>
    fn.GetTokenInformation(token, infoClass, buffer, buffer.byteLength, returned),
  convertSidToStringSid: (sid, out) => fn.ConvertSidToStringSidW(sid, out),
  convertStringSecurityDescriptor: (sddl, out) =>
    fn.ConvertStringSecurityDescriptorToSecurityDescriptorW(wide(sddl), 1, out, null),
  getSecurityInfo: (handle, objectType, info, out) =>
    fn.GetSecurityInfo(handle, objectType, info, null, null, null, null, out),
  convertSecurityDescriptorToString: (sd, info, out) =>
    fn.ConvertSecurityDescriptorToStringSecurityDescriptorW(sd, 1, info, out, null),
  localFree: (memory) => BigInt(fn.LocalFree(memory)),
  lstrlenW: (text) => fn.lstrlenW(text),
  rtlMoveMemory: (destination, source, bytes) => {
    fn.RtlMoveMemory(destination, source, bytes);
  },
  // User-space addresses on x64 Windows are below 2^47: a double holds them exactly.
  view: (address, length) => toArrayBuffer(Number(address) as Pointer, 0, length),
};
