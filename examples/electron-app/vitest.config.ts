import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    // Electron's conditions (spec/transport.md#mapping-in-a-caged-runtime): every ArrayBuffer
    // over foreign memory throws, here and in the server startServer runs (it inherits this).
    env: { PLURESDB_IPC_ELECTRON_CAGE: '1' },
  },
});
