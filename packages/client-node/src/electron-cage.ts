// Electron's conditions in plain Node: with PLURESDB_IPC_ELECTRON_CAGE=1, every way the Node
// binding (or anyone in the process) could make an ArrayBuffer over foreign memory through
// koffi throws as Electron's V8 memory cage does (spec/transport.md#mapping-in-a-caged-runtime).
import koffi from 'koffi';

/** The environment variable that turns cage mode on (value `1`). */
export const ELECTRON_CAGE_ENV = 'PLURESDB_IPC_ELECTRON_CAGE';

/** True when this process runs in cage mode. */
export const cageMode = process.env[ELECTRON_CAGE_ENV] === '1';

/**
 * The error Electron's runtime gives: `napi_create_external_arraybuffer` returns
 * `napi_no_external_buffers_allowed` and koffi throws this.
 */
export function externalBufferError(): Error {
  const error = new Error(
    'External buffers are not allowed (napi_no_external_buffers_allowed): ' +
      `${ELECTRON_CAGE_ENV}=1 stands in for Electron's V8 memory cage`,
  );
  (error as { code?: string }).code = 'napi_no_external_buffers_allowed';
  return error;
}

/**
 * In cage mode, replaces koffi's `view` (its one call that makes an external ArrayBuffer)
 * with one that throws, for every user of the koffi module in this process. Idempotent.
 */
export function installCage(): void {
  if (!cageMode) return;
  const module = koffi as unknown as { view: (...args: unknown[]) => never };
  module.view = () => {
    throw externalBufferError();
  };
}
