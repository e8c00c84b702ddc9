// A store open that hangs (LMDB's open spins where the OS refuses its map, as under Wine) ends
// the server with a message and a non-zero exit, instead of a server that is never ready and
// never exits (store-open-watchdog.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveServeOptions } from '../src/server-options.ts';
import { DEFAULT_STORE_OPEN_TIMEOUT_MS } from '../src/store-open-watchdog.ts';
import { spawnFixture } from './fixtures/fixture-child.ts';
import { freshChannel } from './fixtures/server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'pdbi-open-timeout-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('store open timeout', () => {
  it('a hung store open ends the server with a message and a non-zero exit', async () => {
    const dataDir = join(dir, 'data');
    const fixture = spawnFixture('hung-store-open.ts', [freshChannel('open-timeout'), dataDir]);
    // Far beyond the fixture's 500 ms limit: only a missing watchdog gets here.
    const guard = setTimeout(() => fixture.child.kill('SIGKILL'), 20_000);
    const started = performance.now();
    const exit = await fixture.exited;
    clearTimeout(guard);
    console.log(
      `hung store open: exit ${exit} after ${Math.round(performance.now() - started)} ms`,
    );
    expect(exit).not.toBe(0);
    expect(fixture.stderr()).toContain(`the store at ${dataDir} did not open within 500 ms`);
  }, 30_000);

  it('defaults to 30 s', () => {
    expect(resolveServeOptions({}).storeOpenTimeoutMs).toBe(DEFAULT_STORE_OPEN_TIMEOUT_MS);
    expect(DEFAULT_STORE_OPEN_TIMEOUT_MS).toBe(30_000);
  });
});
