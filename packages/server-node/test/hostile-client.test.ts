// A hostile client writes garbage into its request ring (random frames, wrong record lengths,
// offsets past the end, invalid UTF-8, bogus ring counters, huge fragments, half-written and
// abandoned messages) while a well-behaved client keeps reading from the same server
// (issue #7, "Hostile or broken peers"). Long run: PLURESDB_LONG_TESTS=1 (1,000,000 frames).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '@pluresdb-ipc/client-node';
import { describe, expect, it } from 'vitest';
import { longTests, testSeed } from './fixtures/seeded-random.ts';
import {
  eventually,
  freshChannel,
  freshDataDir,
  runFixture,
  startServer,
} from './fixtures/server-process.ts';

const long = longTests;
const frames = long ? 1_000_000 : 100_000;
const attackSeconds = long ? 3_600 : 8;

/** A process's resident memory (`VmRSS`) or peak (`VmHWM`), in KiB. */
function memoryKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
    readFileSync(`/proc/${pid}/status`, 'utf8'),
  );
  return Number(match?.[1]);
}

describe('hostile client', () => {
  it(`survives ${long ? '1,000,000 garbage frames' : `${attackSeconds} s of garbage frames (up to ${frames})`}, serving the other client meanwhile`, async () => {
    const server = await startServer(freshChannel('hostile'), freshDataDir());
    const seed = testSeed();
    // Warm the server up first, so the memory baseline includes its steady state.
    const warm = await runFixture('./latency-client.ts', [server.channel, '1']);
    expect(warm.code, warm.stderr).toBe(0);
    const rssBefore = memoryKiB(server.pid, 'VmRSS');

    // The other client runs until the attack is over (or an hour has passed).
    const stopFile = join(server.dataDir, 'attack-over');
    const bystander = runFixture(
      './latency-client.ts',
      [server.channel, '3600', stopFile],
      (attackSeconds + 180) * 1000,
    );
    const hostile = await runFixture(
      './hostile-client.ts',
      [server.channel, String(frames), String(attackSeconds), String(seed)],
      (attackSeconds + 120) * 1000,
    );
    writeFileSync(stopFile, '');
    const normal = await bystander;
    expect(hostile.code, hostile.stderr).toBe(0);
    expect(normal.code, normal.stderr).toBe(0);
    const attack = JSON.parse(hostile.stdout);
    const served = JSON.parse(normal.stdout);
    const rssAfter = memoryKiB(server.pid, 'VmRSS');
    const rssPeak = memoryKiB(server.pid, 'VmHWM');
    console.log(
      `hostile client (seed ${seed}): ${attack.frames} garbage frames in ${attack.seconds.toFixed(1)} s, ` +
        `${attack.sessions} sessions, ${attack.sessionsEnded} ended by the server, ` +
        `${attack.abandoned} abandoned mid-message; answers: ${JSON.stringify(attack.reactions)}\n` +
        `  by attack: ${JSON.stringify(attack.perAttack)}\n` +
        `  other client during the attack: ${served.gets} gets, p50 ${served.p50.toFixed(0)} µs, ` +
        `p99 ${served.p99.toFixed(0)} µs, max ${(served.max / 1000).toFixed(1)} ms\n` +
        `  server RSS ${(rssBefore / 1024).toFixed(1)} MiB before, ${(rssAfter / 1024).toFixed(1)} MiB after, peak ${(rssPeak / 1024).toFixed(1)} MiB`,
    );

    expect(attack.frames).toBeGreaterThanOrEqual(long ? frames : 1_000);
    // Every bad frame was answered with an error, or its session was ended; none went unseen.
    expect(attack.reactions.none).toBe(0);
    expect(attack.helloRefused).toBe(0);
    expect(attack.sessionsEnded).toBeGreaterThan(0);
    // The other client was served all along, every answer right.
    expect(served.failures).toEqual([]);
    expect(served.gets).toBeGreaterThan(100);
    // Memory stays bounded (generous: a session may reserve one fragmented frame's buffer).
    expect(rssAfter - rssBefore).toBeLessThan(200 * 1024);

    // The server still runs and serves; the slot of the hostile process, which died in the
    // middle of a message, is freed (liveness), leaving only this client's session.
    expect(server.child.exitCode).toBe(null);
    const client = await connect(server.channel);
    await client.put('after', { ok: true });
    expect(await client.get('after')).toEqual({ ok: true });
    await eventually(async () => (await client.stats()).clients === 1, 5_000);
    await client.close();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    rmSync(server.dataDir, { recursive: true, force: true });
  }, 3_900_000);
});
