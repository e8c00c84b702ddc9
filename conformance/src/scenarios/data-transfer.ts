// Data out and in (protocol version 2; spec/crdt.md#export-format, #backup): export reads
// records with their CRDT metadata through List with_records, import merges them into another
// server, backup answers the file it wrote.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, equal, expectCode } from '../harness/assertions.ts';
import type { RecordJson } from '../harness/driver-protocol.ts';
import type { Scenario } from '../harness/scenario.ts';

/** The data-transfer scenarios. */
export const dataTransferScenarios: readonly Scenario[] = [
  {
    name: 'export lists records with their metadata, tombstones included',
    async run({ driver, key }) {
      const prefix = key('export/');
      for (const name of ['a', 'b', 'c']) {
        await driver.ok('put', { key: `${prefix}${name}`, value: { name } });
      }
      await driver.ok('patch', { key: `${prefix}a`, value: { extra: 1 } });
      await driver.ok('delete', { key: `${prefix}b` });
      // A page size of 2 makes the export read more than one page.
      const records = await driver.ok('exportRecords', { prefix, pageSize: 2 });
      equal(
        records.map((record) => [record.key, record.deleted]),
        [
          [`${prefix}a`, false],
          [`${prefix}b`, true],
          [`${prefix}c`, false],
        ],
        'every record in key order, the deleted one in its place',
      );
      for (const record of records.filter((r) => !r.deleted)) {
        equal(record, await driver.ok('getRecord', { key: record.key }), 'as getRecord answers');
      }
      const tombstone = records[1] as RecordJson;
      equal(tombstone.data, null, 'a tombstone has no data');
      check(BigInt(tombstone.deletedHlc) > 0n, 'a tombstone has its delete stamp');
      const live = await driver.ok('exportRecords', { prefix, includeDeleted: false });
      equal(live.length, 2, 'without tombstones');
    },
  },
  {
    name: 'import merges exported records into another server',
    async run({ driver, key, startServer, connect }) {
      const prefix = key('import/');
      for (let i = 0; i < 5; i++) await driver.ok('put', { key: `${prefix}${i}`, value: { i } });
      await driver.ok('delete', { key: `${prefix}3` });
      const records = await driver.ok('exportRecords', { prefix });
      const other = await startServer();
      await connect('other', other.channel);
      equal(
        await driver.ok('importRecords', { client: 'other', records, maxInFlight: 2 }),
        { read: 5, merged: 5, unchanged: 0, failed: 0 },
        'the first import changes every record',
      );
      equal(
        await driver.ok('exportRecords', { client: 'other', prefix }),
        records,
        'the other server holds the same records, tombstone included',
      );
      equal(await driver.ok('get', { client: 'other', key: `${prefix}3` }), null, 'still deleted');
      equal(
        await driver.ok('importRecords', { client: 'other', records }),
        { read: 5, merged: 0, unchanged: 5, failed: 0 },
        'import = merge: a second import changes nothing',
      );
      // A record the server refuses (a zero stamp) is counted, and the others still go in.
      const bad = { ...(records[0] as RecordJson), key: `${prefix}bad`, hlc: '0' };
      const fresh = { ...(records[1] as RecordJson), key: `${prefix}fresh` };
      equal(
        await driver.ok('importRecords', { client: 'other', records: [bad, fresh] }),
        { read: 2, merged: 1, unchanged: 0, failed: 1 },
        'a refused record is counted as failed',
      );
    },
  },
  {
    name: 'backup answers the file it wrote, and refuses a directory in use',
    async run({ driver, key, defer }) {
      await driver.ok('put', { key: key('backup'), value: { kept: true } });
      const parent = mkdtempSync(join(tmpdir(), 'pdbi-conformance-backup-'));
      defer(() => rmSync(parent, { recursive: true, force: true }));
      const dir = join(parent, 'copy');
      const answer = await driver.ok('backup', { path: dir });
      equal(answer.path, join(dir, 'data.mdb'), 'the file written');
      check(BigInt(answer.bytes) > 0n, `a backup has bytes, got ${answer.bytes}`);
      equal(readdirSync(dir), ['data.mdb'], 'the directory holds the copy alone');
      expectCode(
        await driver.fails('backup', { path: dir }),
        'InvalidArgument',
        'a directory that is not empty',
      );
    },
  },
];
