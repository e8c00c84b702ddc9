import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'conformance',
          // The Node lines run in cage mode only, below: the binding maps segments the same way
          // in both modes (cage mode only makes external ArrayBuffers throw), so once suffices.
          exclude: [...configDefaults.exclude, 'test/node-lines.test.ts'],
        },
      },
      // Electron's conditions (spec/transport.md#mapping-in-a-caged-runtime): the Node driver's
      // whole suite again under the machine's Node, and once under each Node line, with the
      // driver and the server it talks to (both inherit this environment) refusing every
      // ArrayBuffer over foreign memory, as Electron does.
      {
        extends: true,
        test: {
          name: 'electron-cage',
          // After the other tests, not beside them: timing-sensitive scenarios share two cores.
          sequence: { groupOrder: 1 },
          include: ['test/clients.test.ts', 'test/node-lines.test.ts'],
          env: { PLURESDB_IPC_ELECTRON_CAGE: '1', CONFORMANCE_RUNTIMES: 'node' },
        },
      },
    ],
  },
});
