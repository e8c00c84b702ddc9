import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'server-node' } },
      // Electron's conditions (spec/transport.md#mapping-in-a-caged-runtime): tests that start
      // real servers and clients run again with every ArrayBuffer over foreign memory refused
      // in this process and in the servers and clients it starts (they inherit the variable).
      {
        extends: true,
        test: {
          name: 'electron-cage',
          // After the other tests, not beside them: timing-sensitive scenarios share two cores.
          sequence: { groupOrder: 1 },
          include: [
            'test/lifecycle.test.ts',
            'test/operations.test.ts',
            'test/watch-cut.test.ts',
            'test/operator-slot.test.ts',
            'test/start-failures.test.ts',
            'test/closed-pipes.test.ts',
            'test/client-timeouts.test.ts',
            'test/wake-coalescing.test.ts',
          ],
          env: { PLURESDB_IPC_ELECTRON_CAGE: '1' },
        },
      },
    ],
  },
});
