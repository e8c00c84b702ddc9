// The mirror image of the hostile-client test (issue #7): a fake server answers Hello, then
// writes garbage into each session's response ring (fake-server/fake-server.ts). The client of
// every runtime (runtimes/*.json) must fail the call with Malformed, Timeout or Unavailable,
// within its 1 s timeout, and never crash or hang. A runtime whose command does not run one of
// drivers/<name>.ts has no probe here and is skipped with a message.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBE_TIMEOUT_MS } from '../fake-server/probe.ts';
import { selectedRuntimes } from '../src/harness/runtime-files.ts';
import { conformanceDir } from '../src/paths.ts';

/** Each fault, and the code the client's call must fail with. */
const expected: Record<string, string> = {
  // The fake server speaks protocol version 1: a call that needs version 2 is refused by the
  // client before it sends anything. (First: `garbage-server-state` leaves the segment
  // unusable for a while.)
  'v1-session-backup': 'VersionMismatch',
  'v1-session-export': 'VersionMismatch',
  'random-frame': 'Malformed',
  'write-counter-far-ahead': 'Malformed',
  'write-counter-behind': 'Malformed',
  'write-counter-misaligned': 'Malformed',
  'huge-fragment': 'Malformed',
  'half-frame': 'Malformed',
  'unknown-record-kind': 'Malformed',
  'stop-mid-fragment': 'Timeout',
  silence: 'Timeout',
  'garbage-end-code': 'Unavailable',
  'garbage-server-state': 'Unavailable',
};
/** Slack over the call's timeout: the client notices a broken ring within a liveness check. */
const SLACK_MS = 1_500;

const channel = `conformance-fake-${process.pid}`;
let stopServer: () => void = () => {};

beforeAll(async () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(conformanceDir, 'fake-server', 'fake-server.ts'), channel],
    { cwd: conformanceDir, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  stopServer = () => child.kill('SIGTERM');
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`fake server exited (${code})`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'fake server ready') resolve();
    });
  });
}, 30_000);

afterAll(() => stopServer());

function runProbe(
  command: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  const [program = '', ...args] = command;
  const child = spawn(program, [...args, channel, ...Object.keys(expected)], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`probe exited with ${code}: ${err}`));
    });
  });
}

describe('fake server sending garbage', () => {
  for (const runtime of selectedRuntimes()) {
    const driver = `drivers/${runtime.name}.ts`;
    const at = runtime.launch.command.indexOf(driver);
    if (at < 0) {
      it.skip(`${runtime.name}: no fake-server probe (its command does not run ${driver})`, () => {});
      continue;
    }
    it(`${runtime.name}: every call fails with Malformed, Timeout or Unavailable within its timeout`, async () => {
      const command = runtime.launch.command.map((part, i) =>
        i === at ? `fake-server/probe-${runtime.name}.ts` : part,
      );
      const results: Record<string, { code: string; ms: number }> = JSON.parse(
        await runProbe(command, runtime.launch.cwd, runtime.launch.env),
      );
      console.log(
        `${runtime.name} against the fake server: ${Object.entries(results)
          .map(([fault, { code, ms }]) => `${fault} → ${code} in ${ms.toFixed(0)} ms`)
          .join(', ')}`,
      );
      for (const [fault, code] of Object.entries(expected)) {
        expect(results[fault]?.code, fault).toBe(code);
        expect(results[fault]?.ms, fault).toBeLessThan(PROBE_TIMEOUT_MS + SLACK_MS);
      }
    }, 90_000);
  }
});
