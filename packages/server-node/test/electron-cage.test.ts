// `pnpm demo` in Electron's conditions (spec/transport.md#mapping-in-a-caged-runtime): with
// PLURESDB_IPC_ELECTRON_CAGE=1 every ArrayBuffer over foreign memory throws in the demo's
// client and in the server it starts, as in Electron. The conformance suite's Node driver and
// the server tests named in vitest.config.ts run in that mode too (project electron-cage).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ELECTRON_CAGE_ENV } from '@pluresdb-ipc/client-node';
import { expect, it } from 'vitest';

it('the demo runs end to end in cage mode', () => {
  const dataHome = mkdtempSync(join(tmpdir(), 'pluresdb-ipc-cage-demo-'));
  try {
    const demo = fileURLToPath(new URL('../dist/demo.js', import.meta.url));
    const run = spawnSync(process.execPath, [demo], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        [ELECTRON_CAGE_ENV]: '1',
        XDG_DATA_HOME: dataHome,
        PLURESDB_IPC_DATA: '',
        PLURESDB_IPC_DEMO_CHANNEL: `cage-demo-${process.pid}`,
      },
    });
    // The server's log lines go to stderr; an external buffer would fail with its code there.
    expect(run.stderr).not.toMatch(/external|napi_/i);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('The watcher saw:');
    expect(run.stdout).toContain('Server stopped (exit code 0)');
  } finally {
    rmSync(dataHome, { recursive: true, force: true });
  }
});
