// The Win32 waits bun:ffi cannot make without blocking the event loop, through koffi's `.async`
// (a libuv pool thread per wait in flight): the process's one waiter
// (spec/transport.md#windows-one-waiter) and the server's own wait. Bound only on Windows.
import koffi from 'koffi';

function bindWaits() {
  const kernel32 = koffi.load('kernel32.dll');
  return {
    single: kernel32.func('uint32_t WaitForSingleObject(void *handle, uint32_t ms)'),
    multiple: kernel32.func(
      'uint32_t WaitForMultipleObjects(uint32_t count, void *handles, int all, uint32_t ms)',
    ),
  };
}

const waits = process.platform === 'win32' ? bindWaits() : undefined;

function later(
  call: { async: (...args: unknown[]) => void } | undefined,
  ...args: unknown[]
): Promise<number> {
  return new Promise((resolve, reject) => {
    if (call === undefined) throw new Error('the kernel32 binding is available on Windows only');
    call.async(...args, (error: unknown, value: unknown) =>
      error ? reject(error) : resolve(Number(value)),
    );
  });
}

/** `WaitForSingleObject(handle, ms)` on a pool thread. */
export function waitForSingleObjectAsync(handle: bigint, ms: number): Promise<number> {
  return later(waits?.single, handle, ms);
}

/**
 * `WaitForMultipleObjects(count, handles, FALSE, ms)` on a pool thread; `handles` must not
 * change until it resolves.
 */
export function waitForMultipleObjectsAsync(
  count: number,
  handles: BigUint64Array,
  ms: number,
): Promise<number> {
  return later(waits?.multiple, count, handles, 0, ms);
}
