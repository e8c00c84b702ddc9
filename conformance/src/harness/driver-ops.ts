// Every driver operation: reads its arguments, calls the client, converts the answer to its
// JSON form (driver-protocol.ts). Runtime-neutral: only node: builtins and the client API.
import process from 'node:process';
import type {
  BatchWrite,
  CallOptions,
  ConnectOptions,
  JsonObject,
  ListQuery,
  RangeQuery,
  WriteCondition,
} from '@pluresdb-ipc/protocol';
import type { Record as WireRecord } from '@pluresdb-ipc/protocol/messages';
import type { DocumentInput } from '@pluresdb-ipc/protocol/transport';
import type { ClientApi } from './client-api.ts';
import {
  arrayArg,
  CommandError,
  flagArg,
  integerArg,
  isObject,
  objectArg,
  optionalInteger,
  optionalString,
  stringArg,
} from './command-args.ts';
import type { Command, OpName, RecordJson } from './driver-protocol.ts';
import { type DriverSession, MAIN_CLIENT } from './driver-session.ts';
import { digestOf, generatedDocument, MIN_GENERATED_BYTES } from './generated-value.ts';
import { resumptionArgs } from './resumption-args.ts';
import { checkVectors } from './vector-check.ts';
import {
  fromBase64,
  outcomeJson,
  recordFromJson,
  recordJson,
  statsJson,
  toBase64,
} from './wire-values.ts';

type Handler = (session: DriverSession, command: Command) => unknown;

/** An operation's promise form and, when the API has one, its blocking form. */
interface Variants<T> {
  run(client: ClientApi, options: CallOptions): Promise<T>;
  runSync?: (client: ClientApi, options: CallOptions) => T;
}

/** The handler of every operation, by name. */
export const driverOps: { readonly [op in OpName]: Handler } = {
  info: (session) => ({ runtime: session.runtime, version: runtimeVersion(session.runtime) }),
  loopGaps: (_, command) => loopGaps(integerArg(command, 'durationMs')),
  connect: async (session, command) => {
    await session.connect(
      clientName(command),
      stringArg(command, 'channel'),
      connectOptions(command),
    );
    return null;
  },
  close: async (session, command) => {
    await session.client(clientName(command)).close();
    return null;
  },
  put: async (session, command) => {
    const key = stringArg(command, 'key');
    const value = documentArg(command);
    const condition = conditionArgs(command);
    return outcomeJson(
      await call(session, command, {
        run: (client, options) => client.put(key, value, { ...options, ...condition }),
        runSync: (client, options) => client.putSync(key, value, { ...options, ...condition }),
      }),
    );
  },
  patch: async (session, command) => {
    const key = stringArg(command, 'key');
    const value = documentArg(command);
    const condition = conditionArgs(command);
    return outcomeJson(
      await call(session, command, {
        run: (client, options) => client.patch(key, value, { ...options, ...condition }),
        runSync: (client, options) => client.patchSync(key, value, { ...options, ...condition }),
      }),
    );
  },
  get: async (session, command) => {
    const key = stringArg(command, 'key');
    const value = await call(session, command, {
      run: (client, options) => client.get(key, options),
      runSync: (client, options) => client.getSync(key, options),
    });
    return value ?? null;
  },
  getBytes: async (session, command) => {
    const bytes = await getBytes(session, command);
    return bytes === undefined ? null : toBase64(bytes);
  },
  getRecord: async (session, command) => {
    const key = stringArg(command, 'key');
    const record = await call(session, command, {
      run: (client, options) => client.getRecord(key, options),
    });
    return record === undefined ? null : recordJson(record);
  },
  delete: async (session, command) => {
    const key = stringArg(command, 'key');
    const condition = conditionArgs(command);
    return outcomeJson(
      await call(session, command, {
        run: (client, options) => client.delete(key, { ...options, ...condition }),
        runSync: (client, options) => client.deleteSync(key, { ...options, ...condition }),
      }),
    );
  },
  list: async (session, command) => {
    const query = listQuery(command);
    const page = await call(session, command, {
      run: (client, options) => client.list(query, options),
      runSync: (client, options) => client.listSync(query, options),
    });
    return { items: page.items, next: page.next ?? null };
  },
  batch: async (session, command) => {
    const writes = arrayArg(command, 'writes').map((write, index) =>
      batchWrite(command, write, index),
    );
    return outcomeJson(
      await call(session, command, {
        run: (client, options) => client.batch(writes, options),
        runSync: (client, options) => client.batchSync(writes, options),
      }),
    );
  },
  merge: async (session, command) => {
    const record = recordArg(command);
    return outcomeJson(
      await call(session, command, { run: (client, options) => client.merge(record, options) }),
    );
  },
  stats: async (session, command) =>
    statsJson(
      await call(session, command, {
        run: (client, options) => client.stats(options),
        runSync: (client, options) => client.statsSync(options),
      }),
    ),
  ping: async (session, command) => {
    const text = optionalString(command, 'payload');
    const payload = text === undefined ? undefined : fromBase64(text);
    const echo = await call(session, command, {
      run: (client, options) => client.ping(payload, options),
      runSync: (client, options) => client.pingSync(payload, options),
    });
    return echo === undefined ? null : toBase64(echo);
  },
  putGenerated: async (session, command) => {
    const key = stringArg(command, 'key');
    const size = integerArg(command, 'bytes');
    if (size < MIN_GENERATED_BYTES)
      throw new CommandError(`putGenerated: "bytes" must be at least ${MIN_GENERATED_BYTES}`);
    const value = generatedDocument(size, integerArg(command, 'seed'));
    await call(session, command, {
      run: (client, options) => client.put(key, value, options),
      runSync: (client, options) => client.putSync(key, value, options),
    });
    return digestOf(value);
  },
  digest: async (session, command) => {
    const bytes = await getBytes(session, command);
    return bytes === undefined ? null : digestOf(bytes);
  },
  subscribe: async (session, command) => {
    const prefix = stringArg(command, 'prefix');
    const resumption = resumptionArgs(command);
    const { handle, id, seq } = await call(session, command, {
      run: (client, options) => session.subscribe(client, prefix, { ...options, ...resumption }),
    });
    return {
      handle,
      subscriptionId: id.toString(),
      seq: seq === undefined ? null : seq.toString(),
    };
  },
  unsubscribe: async (session, command) => {
    const subscription = session.takeSubscription(integerArg(command, 'handle'));
    await subscription.unsubscribe();
    return null;
  },
  vectors: (_session, command) => checkVectors(stringArg(command, 'dir')),
  count: async (session, command) => {
    const range = rangeArgs(command);
    return call(session, command, {
      run: (client, options) => client.count(range, options),
      runSync: (client, options) => client.countSync(range, options),
    });
  },
  deleteRange: async (session, command) => {
    const range = rangeArgs(command);
    return outcomeJson(
      await call(session, command, {
        run: (client, options) => client.deleteRange(range, options),
      }),
    );
  },
  // Data out and in (protocol version 2).
  exportRecords: async (session, command) => {
    const prefix = optionalString(command, 'prefix');
    const pageSize = optionalInteger(command, 'pageSize');
    const includeDeleted = command.includeDeleted;
    if (includeDeleted !== undefined && typeof includeDeleted !== 'boolean')
      throw new CommandError('exportRecords: "includeDeleted" must be a boolean');
    const query = {
      ...(prefix === undefined ? {} : { prefix }),
      ...(pageSize === undefined ? {} : { pageSize }),
      ...(includeDeleted === undefined ? {} : { includeDeleted }),
    };
    return call(session, command, {
      run: async (client, options) => {
        const records = [];
        for await (const record of client.exportRecords(query, options)) {
          records.push(recordJson(record));
        }
        return records;
      },
    });
  },
  importRecords: async (session, command) => {
    const records = arrayArg(command, 'records').map((record, index) =>
      recordOf(record, `importRecords: records[${index}]`),
    );
    const maxInFlight = optionalInteger(command, 'maxInFlight');
    const summary = await call(session, command, {
      run: (client, options) =>
        client.importRecords(records, {
          ...options,
          ...(maxInFlight === undefined ? {} : { maxInFlight }),
        }),
    });
    return { ...summary };
  },
  backup: async (session, command) => {
    const path = stringArg(command, 'path');
    const result = await call(session, command, {
      run: (client, options) => client.backup(path, options),
    });
    return { path: result.path ?? null, bytes: result.bytes.toString() };
  },
};

/**
 * Runs an operation with the command's call options: the blocking variant when `sync` is
 * set, an abort signal for `abortBefore` / `abortAfterMs`.
 */
async function call<T>(
  session: DriverSession,
  command: Command,
  variants: Variants<T>,
): Promise<T> {
  const client = session.client(clientName(command));
  const timeoutMs = optionalInteger(command, 'timeoutMs');
  const abortAfterMs = optionalInteger(command, 'abortAfterMs');
  const abortBefore = flagArg(command, 'abortBefore');
  const timing: CallOptions = timeoutMs === undefined ? {} : { timeoutMs };
  if (flagArg(command, 'sync')) {
    if (!variants.runSync) throw new CommandError(`${command.op} has no sync variant`);
    if (abortBefore || abortAfterMs !== undefined)
      throw new CommandError(`${command.op}: a sync call takes no abort signal`);
    return variants.runSync(client, timing);
  }
  if (!abortBefore && abortAfterMs === undefined) return variants.run(client, timing);
  const controller = new AbortController();
  if (abortBefore) controller.abort();
  const timer =
    abortAfterMs === undefined ? undefined : setTimeout(() => controller.abort(), abortAfterMs);
  try {
    return await variants.run(client, { ...timing, signal: controller.signal });
  } finally {
    clearTimeout(timer);
  }
}

function getBytes(session: DriverSession, command: Command): Promise<Uint8Array | undefined> {
  const key = stringArg(command, 'key');
  return call(session, command, {
    run: (client, options) => client.getBytes(key, options),
    runSync: (client, options) => client.getBytesSync(key, options),
  });
}

function clientName(command: Command): string {
  return optionalString(command, 'client') ?? MAIN_CLIENT;
}

/** `bytes` (base64, sent as is) or `value` (any JSON: the client judges non-objects). */
function documentArg(command: Command | Record<string, unknown>, op = 'document'): DocumentInput {
  if (typeof command.bytes === 'string') return fromBase64(command.bytes);
  if (command.bytes !== undefined) throw new CommandError(`${op}: "bytes" must be base64 text`);
  if (!('value' in command)) throw new CommandError(`${op}: needs "value" or "bytes"`);
  return command.value as JsonObject;
}

function batchWrite(command: Command, write: unknown, index: number): BatchWrite {
  const where = `${command.op}: writes[${index}]`;
  if (!isObject(write) || typeof write.key !== 'string')
    throw new CommandError(`${where} needs a string "key"`);
  const condition = conditionArgs(write as Command);
  if (write.kind === 'delete') return { kind: 'delete', key: write.key, ...condition };
  if (write.kind !== 'put' && write.kind !== 'patch')
    throw new CommandError(`${where}: "kind" must be put, patch or delete`);
  return { kind: write.kind, key: write.key, value: documentArg(write, where), ...condition };
}

/** A write's conditions: `ifAbsent` (boolean), `ifHlc` (a decimal string). */
function conditionArgs(command: Command): WriteCondition {
  const ifAbsent = command.ifAbsent;
  if (ifAbsent !== undefined && typeof ifAbsent !== 'boolean')
    throw new CommandError(`${command.op}: "ifAbsent" must be a boolean`);
  const ifHlc = optionalString(command, 'ifHlc');
  if (ifHlc !== undefined && !/^(?:0|[1-9][0-9]{0,19})$/.test(ifHlc))
    throw new CommandError(`${command.op}: "ifHlc" must be a decimal string`);
  return {
    ...(ifAbsent === undefined ? {} : { ifAbsent }),
    ...(ifHlc === undefined ? {} : { ifHlc: BigInt(ifHlc) }),
  };
}

/** A range: `prefix`, `start`, `end`, each optional, passed only when present. */
function rangeArgs(command: Command): RangeQuery {
  const prefix = optionalString(command, 'prefix');
  const start = optionalString(command, 'start');
  const end = optionalString(command, 'end');
  return {
    ...(prefix === undefined ? {} : { prefix }),
    ...(start === undefined ? {} : { start }),
    ...(end === undefined ? {} : { end }),
  };
}

/** The `record` argument of merge, in its JSON form. */
function recordArg(command: Command): WireRecord {
  try {
    return recordFromJson(objectArg(command, 'record') as unknown as RecordJson);
  } catch (error) {
    if (error instanceof CommandError) throw error;
    throw new CommandError(`merge: "record" is not a record in its JSON form: ${String(error)}`);
  }
}

/** One record of importRecords, in its JSON form. */
function recordOf(json: unknown, where: string): WireRecord {
  if (!isObject(json)) throw new CommandError(`${where} is not an object`);
  try {
    return recordFromJson(json as unknown as RecordJson);
  } catch (error) {
    throw new CommandError(`${where} is not a record in its JSON form: ${String(error)}`);
  }
}

function listQuery(command: Command): ListQuery {
  const after = optionalString(command, 'after');
  const limit = optionalInteger(command, 'limit');
  const reverse = command.reverse;
  if (reverse !== undefined && typeof reverse !== 'boolean')
    throw new CommandError('list: "reverse" must be a boolean');
  return {
    ...rangeArgs(command),
    ...(after === undefined ? {} : { after }),
    ...(limit === undefined ? {} : { limit }),
    ...(reverse === undefined ? {} : { reverse }),
  };
}

function connectOptions(command: Command): ConnectOptions {
  const json = command.options === undefined ? {} : objectArg(command, 'options');
  const { credentials, ...rest } = json;
  if (credentials !== undefined && typeof credentials !== 'string')
    throw new CommandError('connect: "options.credentials" must be base64 text');
  // The remaining options go to the client unchanged: judging them is the client's job.
  return {
    ...(rest as ConnectOptions),
    ...(credentials === undefined ? {} : { credentials: fromBase64(credentials) }),
  };
}

/** The longest gap between the ticks of a 1 ms interval timer over `durationMs`. */
function loopGaps(durationMs: number): Promise<{ maxGapMs: number; ticks: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    let last = started;
    let maxGapMs = 0;
    let ticks = 0;
    const timer = setInterval(() => {
      const at = performance.now();
      maxGapMs = Math.max(maxGapMs, at - last);
      last = at;
      ticks++;
      if (at - started >= durationMs) {
        clearInterval(timer);
        resolve({ maxGapMs: Math.round(maxGapMs * 10) / 10, ticks });
      }
    }, 1);
  });
}

function runtimeVersion(runtime: string): string {
  const versions = process.versions as Record<string, string | undefined>;
  return versions[runtime] ?? process.version;
}
