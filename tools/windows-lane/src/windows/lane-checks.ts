// The lane's checks besides the scenarios, with Windows processes under Wine: a killed client's
// slot is freed (spec/transport.md#liveness), a hostile client's garbage frames leave the
// server serving (the Linux suite's own fixture, packages/server-node/test/fixtures/
// hostile-client.ts), and a segment whose descriptor is not private is refused
// (PermissionDenied, the owner check: spec/transport.md#windows); the store's ACLs
// (store-privacy.ts).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { connect, IpcError, nodeKernel32, nodePlatform } from '@pluresdb-ipc/client-node';
import { ErrorCode } from '@pluresdb-ipc/protocol';
import { currentUserSid, locatorName, segmentName, win32 } from '@pluresdb-ipc/protocol/transport';
import { freshChannel, ServerHandle } from '../../../../conformance/src/harness/server-control.ts';
import type { ResultGroup } from '../lane-results.ts';
import { storePrivacy } from './store-privacy.ts';
import { timed } from './timed.ts';

/** The longest a killed client's slot may stay taken: spec/transport.md#liveness. */
const SLOT_FREED_WITHIN_MS = 1_000;
/** Garbage frames of the hostile check: a short run of the Linux suite's default. */
const HOSTILE_SECONDS = 5;
const HOSTILE_SEED = 22;

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
/** Node's flags for TypeScript (the runner's own: type transform, no warnings). */
const nodeFlags = process.execArgv;

/** Runs every lane check, appending to `group`; `bun` is Windows Bun's bun.exe. */
export async function laneChecks(
  group: ResultGroup,
  bun: string,
  progress: () => void,
): Promise<void> {
  // The Windows layer's own checks over each runtime's kernel32 binding (ownership against
  // planted objects, hostile locators, doorbells, the one waiter, identities): the fixtures
  // packages/protocol/src/testing/windows-binding-checks.ts is run by.
  for (const [runtime, command] of [
    [
      'Node',
      [
        process.execPath,
        ...nodeFlags,
        here('../../../../packages/client-node/test/fixtures/windows-checks.ts'),
      ],
    ],
    ['Bun', [bun, here('../../../../packages/client-bun/test/fixtures/windows-checks.ts')]],
  ] as const) {
    group.results.push(
      await timed(`the Windows binding checks (Windows ${runtime})`, 120_000, () =>
        bindingChecks(command, `lane-${runtime.toLowerCase()}-${process.pid}`),
      ),
    );
    progress();
  }
  group.results.push(await timed('a killed client’s slot is freed within 1 s', 60_000, liveness));
  progress();
  group.results.push(
    await timed(`${HOSTILE_SECONDS} s of garbage frames; the server serves on`, 120_000, hostile),
  );
  progress();
  group.results.push(
    await timed('a segment other users may open is refused (PermissionDenied)', 60_000, owner),
  );
  progress();
  group.results.push(
    await timed(
      'the data directory and its files are private to the user (ACLs)',
      120_000,
      storePrivacy,
    ),
  );
  progress();
}

// Runs a windows-checks.ts fixture; it prints the failures as JSON, [] when all pass.
async function bindingChecks(command: readonly string[], prefix: string): Promise<string> {
  const [program, ...args] = command as [string, ...string[]];
  const child = spawn(program, [...args, prefix], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const line = stdout.trim().split('\n').at(-1) ?? '';
  let failures: unknown;
  try {
    failures = JSON.parse(line);
  } catch {
    throw new Error(`exit ${code}, no result line: ${stdout.slice(-1000)} ${stderr.slice(-2000)}`);
  }
  if (!Array.isArray(failures)) throw new Error(`unexpected result: ${line}`);
  if (failures.length > 0) throw new Error(failures.join('; '));
  if (code !== 0) throw new Error(`exit ${code}: ${stderr.slice(-2000)}`);
  return 'no failures';
}

async function liveness(): Promise<string> {
  const server = await ServerHandle.start(freshChannel('liveness'));
  try {
    const victim = spawn(process.execPath, [...nodeFlags, here('idle-client.ts'), server.channel], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    victim.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [line] = (await Promise.race([
      once(victim.stdout as NodeJS.ReadableStream, 'data'),
      once(victim, 'exit').then(() => {
        throw new Error(`the client exited before connecting: ${stderr}`);
      }),
    ])) as [Buffer];
    if (!line.toString().includes('connected')) throw new Error(`client said ${line}`);
    const before = freedCount(server.stderr);
    // TerminateProcess: no goodbye, as a crash.
    victim.kill('SIGKILL');
    const killedAt = performance.now();
    while (freedCount(server.stderr) === before) {
      if (performance.now() - killedAt > 10_000)
        throw new Error(`the slot was not freed within 10 s; server said: ${server.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const ms = Math.round(performance.now() - killedAt);
    if (ms > SLOT_FREED_WITHIN_MS)
      throw new Error(`the slot was freed after ${ms} ms (spec: within ${SLOT_FREED_WITHIN_MS})`);
    return `slot freed ${ms} ms after the kill`;
  } finally {
    await server.dispose();
  }
}

function freedCount(log: string): number {
  return (log.match(/died; slot \d+ freed/g) ?? []).length;
}

async function hostile(): Promise<string> {
  const server = await ServerHandle.start(freshChannel('hostile'));
  try {
    const fixture = here('../../../../packages/server-node/test/fixtures/hostile-client.ts');
    const attacker = spawn(
      process.execPath,
      [
        ...nodeFlags,
        fixture,
        server.channel,
        '100000',
        String(HOSTILE_SECONDS),
        String(HOSTILE_SEED),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    attacker.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    attacker.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = (await once(attacker, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`the hostile client exited ${code}: ${stderr.slice(-2000)}`);
    const summary = JSON.parse(stdout) as { frames: number; sessions: number };
    if (!server.running) throw new Error(`the server died: ${server.stderr.slice(-2000)}`);
    // A well-behaved client is still served, correctly.
    const client = await connect(server.channel, { timeoutMs: 15_000 });
    try {
      await client.put('after/attack', { ok: true });
      const value = await client.get('after/attack');
      if (JSON.stringify(value) !== '{"ok":true}') throw new Error(`read back ${value}`);
    } finally {
      await client.close();
    }
    return `${summary.frames} garbage frames in ${summary.sessions} sessions, then served a put and a get`;
  } finally {
    await server.dispose();
  }
}

// A channel's locator made by "someone" with a descriptor that also grants Everyone read
// access: a client must refuse it rather than trust what it names.
async function owner(): Promise<string> {
  const calls = nodeKernel32;
  const sid = currentUserSid(calls);
  const channel = freshChannel('owner');
  const name = locatorName(segmentName(nodePlatform.userId(), channel));
  const descriptor = new BigUint64Array(1);
  if (
    calls.convertStringSecurityDescriptor(`O:${sid}D:P(A;;GA;;;${sid})(A;;GR;;;WD)`, descriptor) ===
    0
  )
    throw new Error(`ConvertStringSecurityDescriptor failed (${calls.getLastError()})`);
  const attributes = new Uint8Array(24);
  const view = new DataView(attributes.buffer);
  view.setUint32(0, 24, true);
  view.setBigUint64(8, descriptor[0] as bigint, true);
  const mapping = calls.createFileMapping(attributes, win32.PAGE_READWRITE, 0, 4096, name);
  if (mapping === 0n) throw new Error(`CreateFileMapping failed (${calls.getLastError()})`);
  try {
    let outcome = 'connected';
    try {
      const client = await connect(channel, { timeoutMs: 5_000, whileDisconnected: 'fail' });
      await client.close();
    } catch (error) {
      outcome = String(error);
      if (error instanceof IpcError && error.code === ErrorCode.PermissionDenied) {
        return error.message;
      }
    }
    throw new Error(
      `connecting to a locator others may read gave ${outcome}, not PermissionDenied`,
    );
  } finally {
    calls.closeHandle(mapping);
  }
}
