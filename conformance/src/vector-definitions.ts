// The golden vectors, defined once as typed frames. `pnpm --filter @pluresdb-ipc/conformance
// generate` turns each into `vectors/<name>.json` (flatc's JSON form) and has the official
// flatc compile that JSON into `vectors/<name>.bin`. Tests then hold our codec to those bytes.

import { ErrorCode, type ErrorCode as ErrorCodeValue } from '@pluresdb-ipc/protocol';
import {
  errorCodeName,
  type Frame,
  type Record as IpcRecord,
  type RequestBody,
  type ResponseBody,
} from '@pluresdb-ipc/protocol/messages';

/** One golden vector: a file name (without extension) and the frame it holds. */
export interface VectorDefinition {
  readonly name: string;
  /** What the vector exercises, written into the spec's table of vectors. */
  readonly about: string;
  readonly frame: Frame;
  /**
   * Set on a request that is a valid frame but one the server refuses (an empty key or value):
   * why. Such a vector tests the wire format only; every other request's keys and values are
   * ones the server accepts (checked by test/vectors.test.ts).
   */
  readonly wireOnly?: string;
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const doc = (value: unknown): Uint8Array => utf8(JSON.stringify(value));
const maxU64 = 2n ** 64n - 1n;

function request(id: bigint, body: RequestBody): Frame {
  return { message: { type: 'Request', value: { id, body } } };
}

function response(id: bigint, code: ErrorCodeValue, body?: ResponseBody, message?: string): Frame {
  return { message: { type: 'Response', value: { id, code, message, body } } };
}

/**
 * A 1 MiB JSON document the server accepts: `{"v":"000...0"}`, exactly 1,048,576 bytes of
 * UTF-8. An object, as every value a put carries must be (spec/messages.md#values).
 */
function oneMebibyteDocument(): Uint8Array {
  const size = 1024 * 1024;
  const head = utf8('{"v":"');
  const tail = utf8('"}');
  const bytes = new Uint8Array(size).fill(0x30); // '0'
  bytes.set(head, 0);
  bytes.set(tail, size - tail.length);
  return bytes;
}

const sampleRecord: IpcRecord = {
  key: 'users/ada',
  data: doc({ name: 'Ada', langs: ['en', 'fr'] }),
  clock: [
    { actor: 'replica-a', counter: 3n },
    { actor: 'replica-b', counter: 1n },
  ],
  hlc: 0x0193_0a1b_2c3d_0002n,
  actor: 'replica-a',
  deleted: false,
  fields: [
    { name: 'name', value: doc('Ada'), hlc: 0x0193_0a1b_2c3d_0001n, actor: 'replica-a' },
    { name: 'langs', value: doc(['en', 'fr']), hlc: 0x0193_0a1b_2c3d_0002n, actor: 'replica-a' },
    { name: 'age', value: undefined, hlc: 0x0193_0a1b_2c3c_0000n, actor: 'replica-b' },
  ],
  deletedHlc: 0n,
  deletedActor: undefined,
};

const errorVectors: VectorDefinition[] = Object.values(ErrorCode)
  .filter((code) => code !== ErrorCode.Ok)
  .map((code) => ({
    name: `response-error-${kebab(errorCodeName(code))}`,
    about: `a failed response with code ${errorCodeName(code)} (${code})`,
    frame: response(BigInt(100 + code), code, undefined, `example ${errorCodeName(code)} message`),
  }));

/** Every golden vector. */
export const vectorDefinitions: readonly VectorDefinition[] = [
  {
    name: 'request-hello',
    about: 'the handshake request with credentials',
    frame: request(1n, {
      type: 'Hello',
      value: {
        protocolVersion: 1,
        minProtocolVersion: 1,
        clientName: 'demo-app',
        runtime: 'node 20.20.2',
        pid: 4242,
        processStart: 123456789n,
        credentials: utf8('s3cret'),
      },
    }),
  },
  {
    name: 'request-put',
    about: 'a put of a small JSON document',
    frame: request(2n, {
      type: 'Put',
      value: { key: 'users/ada', value: doc({ name: 'Ada', age: 36 }) },
    }),
  },
  {
    name: 'request-put-empty-key',
    about: 'an empty key (present, zero length; wire only: the server refuses it)',
    frame: request(3n, { type: 'Put', value: { key: '', value: doc({}) } }),
    wireOnly: 'the empty key is InvalidArgument (spec/messages.md#keys)',
  },
  {
    name: 'request-put-unicode-key',
    about: 'a key with Cyrillic, CJK and Latin-1 characters (2- and 3-byte UTF-8)',
    frame: request(4n, {
      type: 'Put',
      value: { key: 'ключ/日本語/über', value: doc({ ok: true }) },
    }),
  },
  {
    name: 'request-put-emoji-key',
    about: 'a key of emoji: 4-byte UTF-8 and a zero-width-joiner sequence',
    frame: request(5n, {
      type: 'Put',
      value: { key: 'users/🦄🚀/👩‍👩‍👧', value: doc({ emoji: '🎉' }) },
    }),
  },
  {
    name: 'request-put-id-zero',
    about: 'request id 0 (the default, so the id field is absent from the table)',
    frame: request(0n, { type: 'Put', value: { key: 'k', value: doc({ n: 0 }) } }),
  },
  {
    name: 'request-put-id-max',
    about: 'request id 2^64-1',
    frame: request(maxU64, { type: 'Put', value: { key: 'k', value: doc({ n: 1 }) } }),
  },
  {
    name: 'request-put-empty-value',
    about: 'an empty value vector (present, zero length; wire only: the server refuses it)',
    frame: request(6n, { type: 'Put', value: { key: 'empty', value: new Uint8Array(0) } }),
    wireOnly: 'an empty value is not a JSON object: InvalidArgument (spec/messages.md#values)',
  },
  {
    name: 'request-put-1mib-value',
    about: 'a value of exactly 1 MiB (a JSON object of one string field)',
    frame: request(7n, { type: 'Put', value: { key: 'big', value: oneMebibyteDocument() } }),
  },
  {
    name: 'request-patch',
    about: 'a patch setting one field',
    frame: request(8n, { type: 'Patch', value: { key: 'users/ada', value: doc({ age: 37 }) } }),
  },
  {
    name: 'request-get',
    about: 'a get',
    frame: request(9n, { type: 'Get', value: { key: 'users/ada' } }),
  },
  {
    name: 'request-get-record',
    about: 'a get with metadata',
    frame: request(10n, { type: 'GetRecord', value: { key: 'users/ada' } }),
  },
  {
    name: 'request-delete',
    about: 'a delete',
    frame: request(11n, { type: 'Delete', value: { key: 'users/ada' } }),
  },
  {
    name: 'request-list',
    about: 'a list page by prefix, after a cursor, with a limit',
    frame: request(12n, {
      type: 'List',
      value: { prefix: 'users/', after: 'users/ada', limit: 100 },
    }),
  },
  {
    name: 'request-list-all',
    about: 'a list of every key with the server default limit (all fields absent)',
    frame: request(13n, { type: 'List', value: { prefix: undefined, after: undefined, limit: 0 } }),
  },
  {
    name: 'request-subscribe',
    about: 'a subscription by prefix',
    frame: request(14n, { type: 'Subscribe', value: { prefix: 'users/' } }),
  },
  {
    name: 'request-unsubscribe',
    about: 'the end of a subscription',
    frame: request(15n, { type: 'Unsubscribe', value: { subscriptionId: 7n } }),
  },
  {
    name: 'request-batch',
    about: 'an atomic batch of a put, a patch and a delete',
    frame: request(16n, {
      type: 'Batch',
      value: {
        ops: [
          { kind: 0, key: 'a', value: doc({ x: 1 }) },
          { kind: 1, key: 'b', value: doc({ y: 2 }) },
          { kind: 2, key: 'c', value: undefined },
        ],
      },
    }),
  },
  {
    name: 'request-merge',
    about: 'a merge of a remote record with per-field stamps, a field tombstone and a vector clock',
    frame: request(17n, { type: 'Merge', value: { record: sampleRecord } }),
  },
  {
    name: 'request-stats',
    about: 'a stats request (an empty table)',
    frame: request(18n, { type: 'Stats', value: {} }),
  },
  {
    name: 'request-ping',
    about: 'a ping with a payload',
    frame: request(19n, { type: 'Ping', value: { payload: utf8('hello') } }),
  },
  {
    name: 'request-ping-empty',
    about: 'a ping without a payload (the field omitted): a health check',
    frame: request(20n, { type: 'Ping', value: {} }),
  },
  // Protocol version 2 (spec/versioning.md rule 5): sent only in sessions of version 2.
  {
    name: 'request-put-if-absent',
    about: 'v2: a put that writes only when the record is not live',
    frame: request(30n, {
      type: 'Put',
      value: { key: 'users/ada', value: doc({ name: 'Ada' }), ifAbsent: true },
    }),
  },
  {
    name: 'request-patch-if-hlc',
    about: "v2: a patch that writes only when the record's HLC is the one given",
    frame: request(31n, {
      type: 'Patch',
      value: { key: 'users/ada', value: doc({ age: 37 }), ifHlc: 0x0193_0a1b_2c3d_0003n },
    }),
  },
  {
    name: 'request-delete-if-hlc',
    about: "v2: a delete that happens only when the record's HLC is the one given",
    frame: request(32n, {
      type: 'Delete',
      value: { key: 'users/ada', ifHlc: 0x0193_0a1b_2c3d_0003n },
    }),
  },
  {
    name: 'request-batch-conditional',
    about: 'v2: a batch whose ops carry conditions; one failing fails the batch',
    frame: request(33n, {
      type: 'Batch',
      value: {
        ops: [
          { kind: 0, key: 'users/bob', value: doc({ name: 'Bob' }), ifAbsent: true },
          { kind: 2, key: 'users/cy', ifHlc: 0x0193_0a1b_2c3d_0001n },
        ],
      },
    }),
  },
  {
    name: 'request-list-range',
    about: 'v2: a list page over [start, end), walked backwards',
    frame: request(34n, {
      type: 'List',
      value: { start: 'users/b', end: 'users/d', reverse: true, limit: 50 },
    }),
  },
  {
    name: 'request-list-records',
    about: 'v2: a list page of records with their metadata, tombstones included (export)',
    frame: request(35n, {
      type: 'List',
      value: { prefix: 'users/', withRecords: true, includeDeleted: true, limit: 1000 },
    }),
  },
  {
    name: 'request-count',
    about: 'v2: count the live records under a prefix',
    frame: request(36n, { type: 'Count', value: { prefix: 'users/' } }),
  },
  {
    name: 'request-delete-range',
    about: 'v2: delete every live record in [start, end)',
    frame: request(37n, { type: 'DeleteRange', value: { start: 'logs/2025', end: 'logs/2026' } }),
  },
  {
    name: 'request-backup',
    about: 'v2: write a compacted copy of the store into a directory',
    frame: request(38n, { type: 'Backup', value: { path: '/var/backups/pluresdb/2026-12-06' } }),
  },
  {
    name: 'request-subscribe-since',
    about: 'v2: a subscription that first replays the changes after seq 41',
    frame: request(39n, {
      type: 'Subscribe',
      value: { prefix: 'users/', since: 41n, resume: true },
    }),
  },
  {
    name: 'response-hello-ok',
    about: 'the handshake answer with the session terms',
    frame: response(1n, ErrorCode.Ok, {
      type: 'HelloOk',
      value: {
        protocolVersion: 1,
        serverVersion: '0.1.0',
        serverPid: 4000,
        serverProcessStart: 987654321n,
        maxFrameBytes: 128n * 1024n * 1024n,
        maxValueBytes: 64n * 1024n * 1024n,
        ringBytes: 1024 * 1024,
      },
    }),
  },
  {
    name: 'response-get-found',
    about: 'a get answer with the record data',
    frame: response(9n, ErrorCode.Ok, {
      type: 'GetResult',
      value: { value: doc({ name: 'Ada', age: 36 }) },
    }),
  },
  {
    name: 'response-get-not-found',
    about: 'a get answer for a missing record: Ok, with no value',
    frame: response(9n, ErrorCode.Ok, { type: 'GetResult', value: { value: undefined } }),
  },
  {
    name: 'response-record',
    about: 'a get-with-metadata answer',
    frame: response(10n, ErrorCode.Ok, { type: 'RecordResult', value: { record: sampleRecord } }),
  },
  {
    name: 'response-list',
    about: 'a list page with a cursor to the next page',
    frame: response(12n, ErrorCode.Ok, {
      type: 'ListResult',
      value: {
        items: [
          { key: 'users/bob', value: doc({ name: 'Bob' }) },
          { key: 'users/cy', value: doc({ name: 'Cy' }) },
        ],
        nextAfter: 'users/cy',
      },
    }),
  },
  {
    name: 'response-subscribe',
    about: 'a subscription answer',
    frame: response(14n, ErrorCode.Ok, { type: 'SubscribeResult', value: { subscriptionId: 7n } }),
  },
  {
    name: 'response-write',
    about: 'a write answer with the commit timestamp',
    frame: response(2n, ErrorCode.Ok, {
      type: 'WriteResult',
      value: { hlc: 0x0193_0a1b_2c3d_0003n, count: 1 },
    }),
  },
  {
    name: 'response-stats',
    about: 'a stats answer',
    frame: response(18n, ErrorCode.Ok, {
      type: 'StatsResult',
      value: {
        records: 1200n,
        tombstones: 35n,
        storeBytes: 4_194_304n,
        clients: 3,
        subscriptions: 2,
        requests: 98_765n,
        uptimeMs: 3_600_000n,
        serverVersion: '0.1.0',
      },
    }),
  },
  {
    name: 'response-pong',
    about: 'a ping answer echoing the payload',
    frame: response(19n, ErrorCode.Ok, { type: 'Pong', value: { payload: utf8('hello') } }),
  },
  {
    name: 'response-pong-empty',
    about: 'the answer to a ping without a payload',
    frame: response(20n, ErrorCode.Ok, { type: 'Pong', value: {} }),
  },
  {
    name: 'response-subscribe-seq',
    about: 'v2: a subscription answer with the latest committed seq',
    frame: response(39n, ErrorCode.Ok, {
      type: 'SubscribeResult',
      value: { subscriptionId: 8n, seq: 57n },
    }),
  },
  {
    name: 'response-list-records',
    about: 'v2: a list page of records with metadata (with_records)',
    frame: response(35n, ErrorCode.Ok, {
      type: 'ListResult',
      value: { items: [], records: [sampleRecord], nextAfter: 'users/ada' },
    }),
  },
  {
    name: 'response-count',
    about: 'v2: a count answer',
    frame: response(36n, ErrorCode.Ok, { type: 'CountResult', value: { count: 1200n } }),
  },
  {
    name: 'response-backup',
    about: 'v2: a backup answer: the file written and its size',
    frame: response(38n, ErrorCode.Ok, {
      type: 'BackupResult',
      value: { path: '/var/backups/pluresdb/2026-12-06/data.mdb', bytes: 2_097_152n },
    }),
  },
  {
    name: 'response-stats-v2',
    about: 'v2: a stats answer with the change log and tombstone purge counters',
    frame: response(40n, ErrorCode.Ok, {
      type: 'StatsResult',
      value: {
        records: 1200n,
        tombstones: 35n,
        storeBytes: 4_194_304n,
        clients: 3,
        subscriptions: 2,
        requests: 98_765n,
        uptimeMs: 3_600_000n,
        serverVersion: '0.2.0',
        seq: 98_000n,
        logEntries: 50_000n,
        logOldestSeq: 48_001n,
        logBytes: 6_400_000n,
        tombstonesPurged: 17n,
      },
    }),
  },
  {
    name: 'response-resume-too-old',
    about: 'v2: a subscription refused: the log no longer holds seq 42; it starts at 48001',
    frame: {
      message: {
        type: 'Response',
        value: {
          id: 39n,
          code: ErrorCode.ResumeTooOld,
          message: 'the change log starts at seq 48001; resume after 41 is too old: list again',
          oldestSeq: 48_001n,
        },
      },
    },
  },
  ...errorVectors,
  {
    name: 'event-upsert',
    about: 'a pushed change: upsert with data, timestamp and clock',
    frame: {
      message: {
        type: 'Event',
        value: {
          subscriptionId: 7n,
          seq: 42n,
          kind: 0,
          key: 'users/ada',
          value: doc({ name: 'Ada', age: 37 }),
          hlc: 0x0193_0a1b_2c3d_0004n,
          actor: 'replica-a',
          clock: [{ actor: 'replica-a', counter: 4n }],
        },
      },
    },
  },
  {
    name: 'event-delete',
    about: 'a pushed change: delete, with no data',
    frame: {
      message: {
        type: 'Event',
        value: {
          subscriptionId: 7n,
          seq: 43n,
          kind: 1,
          key: 'users/ada',
          value: undefined,
          hlc: 0x0193_0a1b_2c3d_0005n,
          actor: 'replica-b',
          clock: [
            { actor: 'replica-a', counter: 4n },
            { actor: 'replica-b', counter: 2n },
          ],
        },
      },
    },
  },
];

function kebab(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
}
