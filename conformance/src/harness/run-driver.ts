// The command interpreter every JavaScript driver runs (drivers/*.ts): JSON lines in on stdin,
// answers and events out on stdout, until stdin ends. Only node: builtins, which Node, Bun
// and Deno all provide.
import { once } from 'node:events';
import process from 'node:process';
import { createInterface } from 'node:readline';
import type { ConnectClient } from './client-api.ts';
import { CommandError, isObject } from './command-args.ts';
import { driverOps } from './driver-ops.ts';
import type { AnswerLine, Command, EventLine } from './driver-protocol.ts';
import { DriverSession } from './driver-session.ts';
import { wireError } from './wire-error.ts';

/** How long in-flight commands may take to settle after stdin ends and the clients close. */
const EXIT_GRACE_MS = 2_000;

/**
 * Serves the driver protocol over stdin/stdout with `connect` (the runtime package's
 * `connect`) until stdin closes; then closes every client and exits.
 */
export async function runDriver(connect: ConnectClient, runtime: string): Promise<void> {
  // A dead runner leaves nobody to answer: exit instead of failing on every write.
  process.stdout.on('error', () => process.exit(1));
  // A client bug surfacing as an unhandled rejection is reported, not allowed to kill the
  // driver: the scenario that caused it fails on its own, the others still run.
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`driver: unhandled rejection: ${String(reason)}\n`);
  });
  const write = (line: AnswerLine | EventLine): void => {
    process.stdout.write(`${JSON.stringify(line)}\n`);
  };
  const session = new DriverSession(connect, runtime, write);
  const running = new Set<Promise<void>>();
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    // Not awaited: commands run concurrently, so the runner can pipeline requests.
    const task = execute(session, line).then(write);
    running.add(task);
    void task.finally(() => running.delete(task));
  });
  await once(lines, 'close');
  await session.closeAll();
  await Promise.race([
    Promise.allSettled(running),
    new Promise((resolve) => setTimeout(resolve, EXIT_GRACE_MS)),
  ]);
  // Exit explicitly: a runtime may keep a handle (a futex waiter thread) alive after close.
  process.stdout.write('', () => process.exit(0));
}

/** Runs one command line; never throws, every outcome is an answer. */
async function execute(session: DriverSession, line: string): Promise<AnswerLine> {
  let command: Command;
  try {
    command = parseCommand(line);
  } catch (error) {
    return { id: null, ok: false, error: wireError(error) };
  }
  try {
    const handler = Object.hasOwn(driverOps, command.op)
      ? driverOps[command.op as keyof typeof driverOps]
      : undefined;
    if (!handler) throw new CommandError(`unknown op "${command.op}"`);
    return { id: command.id, ok: true, value: (await handler(session, command)) ?? null };
  } catch (error) {
    return { id: command.id, ok: false, error: wireError(error) };
  }
}

function parseCommand(line: string): Command {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new CommandError(`not JSON: ${line.slice(0, 80)}`);
  }
  if (!isObject(value) || typeof value.id !== 'number' || typeof value.op !== 'string')
    throw new CommandError('a command is an object with a numeric "id" and a string "op"');
  return value as Command;
}
