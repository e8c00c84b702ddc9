// The Win32 calls of the shared-memory transport on Windows, bound through koffi
// (spec/transport.md#windows). Bound only on Windows (node-platform.ts picks it there; on other
// systems the object exists but any call throws).
// koffi keeps GetLastError safe from what Node and V8 do between two calls, so reading it
// right after a failed call is reliable; its pointers are BigInt (NULL is null).
import type { Kernel32Calls } from '@pluresdb-ipc/protocol/transport';
import koffi from 'koffi';

function bindKernel32() {
  const kernel32 = koffi.load('kernel32.dll');
  const advapi32 = koffi.load('advapi32.dll');
  return {
    createFileMapping: kernel32.func(
      'void *CreateFileMappingW(intptr_t file, void *attributes, uint32_t protect, uint32_t high, uint32_t low, str16 name)',
    ),
    openFileMapping: kernel32.func(
      'void *OpenFileMappingW(uint32_t access, int inherit, str16 name)',
    ),
    mapViewOfFile: kernel32.func(
      'void *MapViewOfFile(void *mapping, uint32_t access, uint32_t high, uint32_t low, size_t bytes)',
    ),
    unmapViewOfFile: kernel32.func('int UnmapViewOfFile(void *address)'),
    virtualQuery: kernel32.func('size_t VirtualQuery(void *address, void *info, size_t length)'),
    closeHandle: kernel32.func('int CloseHandle(void *handle)'),
    getLastError: kernel32.func('uint32_t GetLastError()'),
    createEvent: kernel32.func(
      'void *CreateEventW(void *attributes, int manual, int initial, str16 name)',
    ),
    setEvent: kernel32.func('int SetEvent(void *event)'),
    waitForSingleObject: kernel32.func('uint32_t WaitForSingleObject(void *handle, uint32_t ms)'),
    waitForMultipleObjects: kernel32.func(
      'uint32_t WaitForMultipleObjects(uint32_t count, void *handles, int all, uint32_t ms)',
    ),
    getCurrentProcessId: kernel32.func('uint32_t GetCurrentProcessId()'),
    getCurrentProcess: kernel32.func('void *GetCurrentProcess()'),
    openProcess: kernel32.func('void *OpenProcess(uint32_t access, int inherit, uint32_t pid)'),
    getProcessTimes: kernel32.func(
      'int GetProcessTimes(void *process, void *creation, void *exit, void *kernel, void *user)',
    ),
    localFree: kernel32.func('void *LocalFree(void *memory)'),
    lstrlenW: kernel32.func('int lstrlenW(void *text)'),
    rtlMoveMemory: kernel32.func(
      'void RtlMoveMemory(void *destination, void *source, size_t bytes)',
    ),
    openProcessToken: advapi32.func(
      'int OpenProcessToken(void *process, uint32_t access, void *token)',
    ),
    getTokenInformation: advapi32.func(
      'int GetTokenInformation(void *token, int infoClass, void *buffer, uint32_t length, void *returned)',
    ),
    convertSidToStringSid: advapi32.func('int ConvertSidToStringSidW(void *sid, void *out)'),
    convertStringSecurityDescriptor: advapi32.func(
      'int ConvertStringSecurityDescriptorToSecurityDescriptorW(str16 sddl, uint32_t revision, void *out, void *size)',
    ),
    getSecurityInfo: advapi32.func(
      'uint32_t GetSecurityInfo(void *handle, int objectType, uint32_t info, void *owner, void *group, void *dacl, void *sacl, void *descriptor)',
    ),
    convertSecurityDescriptorToString: advapi32.func(
      'int ConvertSecurityDescriptorToStringSecurityDescriptorW(void *descriptor, uint32_t revision, uint32_t info, void *out, void *length)',
    ),
    getNamedSecurityInfo: advapi32.func(
      'uint32_t GetNamedSecurityInfoW(str16 name, int objectType, uint32_t info, void *owner, void *group, void *dacl, void *sacl, void *descriptor)',
    ),
    setFileSecurity: advapi32.func(
      'int SetFileSecurityW(str16 name, uint32_t info, void *descriptor)',
    ),
  };
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

/** A returned handle or address as BigInt, 0n for NULL. */
function handle(value: unknown): bigint {
  return value === null || value === undefined ? 0n : BigInt(value as bigint | number);
}

/** A call on a libuv pool thread (it holds that thread for the whole wait). */
function later(call: { async: (...args: unknown[]) => void }, ...args: unknown[]): Promise<number> {
  return new Promise((resolve, reject) => {
    call.async(...args, (error: unknown, value: unknown) =>
      error ? reject(error) : resolve(Number(value)),
    );
  });
}

/** `INVALID_HANDLE_VALUE`: a mapping backed by the pagefile. */
const INVALID_HANDLE_VALUE = -1;

/** The Node binding of the transport's Win32 calls. */
export const nodeKernel32: Kernel32Calls = {
  createFileMapping: (attributes, protect, high, low, name) =>
    handle(fn.createFileMapping(INVALID_HANDLE_VALUE, attributes, protect, high, low, name)),
  openFileMapping: (access, name) => handle(fn.openFileMapping(access, 0, name)),
  mapViewOfFile: (mapping, access, bytes) => handle(fn.mapViewOfFile(mapping, access, 0, 0, bytes)),
  unmapViewOfFile: (address) => Number(fn.unmapViewOfFile(address)),
  virtualQuery: (address, info) => Number(fn.virtualQuery(address, info, info.byteLength)),
  closeHandle: (h) => Number(fn.closeHandle(h)),
  getLastError: () => Number(fn.getLastError()),
  createEvent: (attributes, manual, initial, name) =>
    handle(fn.createEvent(attributes, manual, initial, name)),
  setEvent: (event) => Number(fn.setEvent(event)),
  waitForSingleObject: (h, ms) => Number(fn.waitForSingleObject(h, ms)),
  waitForSingleObjectAsync: (h, ms) => later(fn.waitForSingleObject, h, ms),
  waitForMultipleObjectsAsync: (count, handles, ms) =>
    later(fn.waitForMultipleObjects, count, handles, 0, ms),
  getCurrentProcessId: () => Number(fn.getCurrentProcessId()),
  getCurrentProcess: () => handle(fn.getCurrentProcess()),
  openProcess: (access, pid) => handle(fn.openProcess(access, 0, pid)),
  getProcessTimes(process, times) {
    const [creation, exit, kernel, user] = [0, 1, 2, 3].map(() => new BigUint64Array(1));
    const ok = Number(fn.getProcessTimes(process, creation, exit, kernel, user));
    [times[0], times[1], times[2], times[3]] = [creation, exit, kernel, user].map(
      (t) => t?.[0] ?? 0n,
    ) as [bigint, bigint, bigint, bigint];
    return ok;
  },
  openProcessToken: (process, access, token) => Number(fn.openProcessToken(process, access, token)),
  getTokenInformation: (token, infoClass, buffer, returned) =>
    Number(fn.getTokenInformation(token, infoClass, buffer, buffer.byteLength, returned)),
  convertSidToStringSid: (sid, out) => Number(fn.convertSidToStringSid(sid, out)),
  convertStringSecurityDescriptor: (sddl, out) =>
    Number(fn.convertStringSecurityDescriptor(sddl, 1, out, null)),
  getSecurityInfo: (h, objectType, info, out) =>
    Number(fn.getSecurityInfo(h, objectType, info, null, null, null, null, out)),
  convertSecurityDescriptorToString: (sd, info, out) =>
    Number(fn.convertSecurityDescriptorToString(sd, 1, info, out, null)),
  getNamedSecurityInfo: (path, objectType, info, out) =>
    Number(fn.getNamedSecurityInfo(path, objectType, info, null, null, null, null, out)),
  setFileSecurity: (path, info, descriptor) => Number(fn.setFileSecurity(path, info, descriptor)),
  localFree: (memory) => handle(fn.localFree(memory)),
  lstrlenW: (text) => Number(fn.lstrlenW(text)),
  rtlMoveMemory: (destination, source, bytes) => {
    fn.rtlMoveMemory(destination, source, bytes);
  },
  view: (address, length) => koffi.view(address, length),
};
