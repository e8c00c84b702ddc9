// The CLI as a client: one command, one session, JSON out.
import { readFileSync } from 'node:fs';
import { connect, type IpcClient } from '@pluresdb-ipc/client-node';
import type { ConnectOptions, JsonObject } from '@pluresdb-ipc/protocol';
import { now } from '@pluresdb-ipc/protocol/transport';
import { outputClosed, writeErr, writeOut } from './closed-output.ts';
import { backupCommand, exportCommand, importCommand } from './data-commands.ts';
import { ExitCode, printJson, toJson, UsageError } from './output.ts';
import { type ParsedArgs, positiveInteger } from './parse-args.ts';
import { deleteRangeArgs, rangeArgs, writeConditionArgs } from './range-args.ts';
import { readSecretFile } from './secret-file.ts';

/** Runs a client command; resolves with the exit code. */
export async function clientCommand(command: string, args: ParsedArgs): Promise<number> {
  const { values, positionals } = args;
  const operands = positionals.slice(1);
  const options: ConnectOptions = {
    clientName: `pluresdb-ipc ${command}`,
    // Reads may use the slot kept for operators, so a full server can still be inspected.
    operator: operatorCommands.has(command),
    // A one-shot command reports a missing server instead of waiting for one; a watch that
    // resumes reconnects, to survive a server restart (spec/crdt.md#subscriptions).
    reconnect: { enabled: command === 'watch' && values['no-resume'] !== true },
    ...(values.timeout === undefined
      ? {}
      : { timeoutMs: positiveInteger(values.timeout, '--timeout') }),
    ...(values['secret-file'] === undefined
      ? {}
      : { credentials: readSecretFile(values['secret-file']) }),
  };
  checkArity(command, operands);
  const client = await connect(values.channel ?? 'default', options);
  try {
    return await run(client, command, operands, args);
  } finally {
    await client.close();
  }
}

/** The commands an operator slot serves (spec/transport.md#operator-slots). */
const operatorCommands = new Set(['get', 'list', 'count', 'stats', 'ping']);

const arity: Record<string, [number, number]> = {
  get: [1, 1],
  put: [2, 2],
  patch: [2, 2],
  del: [1, 1],
  list: [0, 0],
  watch: [0, 1],
  stats: [0, 0],
  ping: [0, 0],
  count: [0, 1],
  'delete-range': [0, 1],
  // Data out and in (data-commands.ts).
  export: [0, 0],
  import: [0, 0],
  backup: [1, 1],
};

/** True for the client commands. */
export function isClientCommand(command: string): boolean {
  return command in arity;
}

function checkArity(command: string, operands: readonly string[]): void {
  const [min, max] = arity[command] ?? [0, 0];
  if (operands.length < min || operands.length > max) {
    throw new UsageError(
      `"${command}" takes ${min === max ? min : `${min} to ${max}`} operand(s), got ${operands.length}`,
    );
  }
}

async function run(
  client: IpcClient,
  command: string,
  operands: readonly string[],
  args: ParsedArgs,
): Promise<number> {
  const key = operands[0] ?? '';
  switch (command) {
    case 'get': {
      const value = await client.get(key);
      if (value === undefined) {
        writeErr(`pluresdb-ipc: no record "${key}"\n`);
        return ExitCode.NotFound;
      }
      printJson(value);
      return ExitCode.Ok;
    }
    case 'put':
    case 'patch': {
      const value = parseDocumentArg(operands[1] ?? '');
      const condition = writeConditionArgs(args);
      printJson(
        command === 'put'
          ? await client.put(key, value, condition)
          : await client.patch(key, value, condition),
      );
      return ExitCode.Ok;
    }
    case 'del':
      printJson(await client.delete(key, writeConditionArgs(args)));
      return ExitCode.Ok;
    case 'count':
      printJson({ count: await client.count(rangeArgs(operands[0], args)) });
      return ExitCode.Ok;
    case 'delete-range':
      printJson(await client.deleteRange(deleteRangeArgs(operands[0], args)));
      return ExitCode.Ok;
    case 'list':
      return list(client, args);
    case 'watch':
      return watch(client, key, watchOptions(args));
    case 'stats':
      printJson(await client.stats());
      return ExitCode.Ok;
    case 'ping': {
      // The first round trips warm up both processes; report the median of the next ten.
      for (let i = 0; i < 10; i++) await client.ping();
      const times: number[] = [];
      for (let i = 0; i < 10; i++) {
        const started = now();
        await client.ping();
        times.push((now() - started) * 1000);
      }
      times.sort((a, b) => a - b);
      printJson({ medianRoundTripMicros: Math.round((times[5] ?? 0) * 10) / 10 });
      return ExitCode.Ok;
    }
    case 'export':
      return exportCommand(client, args);
    case 'import':
      return importCommand(client, args);
    case 'backup':
      return backupCommand(client, key, args);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function list(client: IpcClient, args: ParsedArgs): Promise<number> {
  const { prefix, after, limit, all, reverse } = args.values;
  const query = {
    ...rangeArgs(prefix, args),
    ...(reverse ? { reverse } : {}),
    ...(limit === undefined ? {} : { limit: positiveInteger(limit, '--limit') }),
  };
  if (all) {
    if (after !== undefined) throw new UsageError('--all lists from the start; drop --after');
    for await (const item of client.listAll(query)) {
      // `list --all | head`: the reader left, so stop fetching pages (exit 0, as Unix tools do).
      if (outputClosed.aborted) break;
      writeOut(`${toJson(item)}\n`);
    }
    return ExitCode.Ok;
  }
  printJson(await client.list({ ...query, ...(after === undefined ? {} : { after }) }));
  return ExitCode.Ok;
}

/** `watch --since N` and `--no-resume` as watch options. */
function watchOptions(args: ParsedArgs): { since?: bigint; resume: boolean } {
  const { since } = args.values;
  const resume = args.values['no-resume'] !== true;
  if (since === undefined) return { resume };
  if (!/^\d{1,19}$/.test(since)) throw new UsageError('--since must be a seq (a whole number)');
  return { since: BigInt(since), resume };
}

async function watch(
  client: IpcClient,
  prefix: string,
  resumption: { since?: bigint; resume: boolean },
): Promise<number> {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // `watch | head`: the reader left; end the watch as an interrupt would.
  outputClosed.addEventListener('abort', stop, { once: true });
  try {
    for await (const change of client.watch(prefix, {
      signal: controller.signal,
      ...resumption,
    })) {
      writeOut(`${toJson(change)}\n`);
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    outputClosed.removeEventListener('abort', stop);
  }
  return ExitCode.Ok;
}

function parseDocumentArg(text: string): JsonObject {
  const source = text === '-' ? readFileSync(0, 'utf8') : text;
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    throw new UsageError(`the value is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError('the value must be a JSON object, e.g. \'{"name":"Ada"}\'');
  }
  return value as JsonObject;
}
