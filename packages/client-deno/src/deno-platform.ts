// The Deno runtime binding of the transport: the shared POSIX platform over Deno.dlopen, with
// Deno's file and timer APIs.
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import { type Platform, posixPlatform } from '@pluresdb-ipc/protocol/transport';
import { denoLibc, readSmallFile } from './deno-libc.ts';

// Deno 2 has Node's setImmediate as a global (its setTimeout(0) is clamped to ~2 ms after a
// few nested calls, too slow for the client's pump); @types/deno does not declare it.
const { setImmediate } = globalThis as unknown as {
  setImmediate(callback: () => void): unknown;
};

/**
 * Why Deno on Windows is not offered (spec/transport.md#windows): it could not be tested (Deno's
 * V8 does not run under Wine 8), so it fails at once rather than run untested.
 */
export function denoOnWindowsError(): IpcError {
  return new IpcError(
    ErrorCode.Unavailable,
    'the Deno client does not support Windows (untested there): use the Node or Bun client',
  );
}

/** Stands for the platform on Windows: every call throws {@link denoOnWindowsError}. */
function unsupported(): Platform {
  return new Proxy({} as Platform, {
    get() {
      throw denoOnWindowsError();
    },
  });
}

/** The Deno platform. Needs `--allow-ffi` (nothing else: /proc is read through libc). */
export const denoPlatform: Platform =
  Deno.build.os === 'windows'
    ? unsupported()
    : posixPlatform(denoLibc, {
        runtime: `deno ${Deno.version.deno}`,
        readTextFile: readSmallFile,
        // By /proc, read through libc: Deno.kill needs --allow-run and has no signal 0.
        pidExists: (pid) => pid > 0 && readSmallFile(`/proc/${pid}/stat`) !== undefined,
        yieldToEventLoop: () => new Promise((resolve) => setImmediate(resolve)),
        setTimer(callback, ms, keepAlive = false) {
          const timer = setTimeout(callback, ms);
          if (!keepAlive) Deno.unrefTimer(timer);
          return () => clearTimeout(timer);
        },
      });
