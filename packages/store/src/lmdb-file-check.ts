// A pre-flight check of an existing LMDB data file. lmdb-js trusts the file's meta pages and
// crashes the whole process (SIGSEGV, measured here) on a file that is not LMDB, so the store
// reads the two meta pages itself first and refuses anything that does not look right
// (spec/crdt.md#errors). It cannot vouch for every page: LMDB keeps no checksums.

import { Buffer } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';

// Layout of a meta page in the LMDB build lmdb-js ships (mdb.master3, 64-bit): a 24-byte page
// header (pgno, txnid, pad, flags, lower, upper), then MDB_meta: magic, version, address,
// map size, two MDB_db records of 48 bytes (the first one's pad holds the page size), the
// last used page number and the transaction id.
const PAGE_HEADER = 24;
const P_META = 0x08;
const MDB_MAGIC = 0xbeefc0de;
const META_VERSION_OFFSET = PAGE_HEADER + 4;
const PAGE_SIZE_OFFSET = PAGE_HEADER + 24;
const LAST_PAGE_OFFSET = PAGE_HEADER + 24 + 96;
const TXNID_OFFSET = LAST_PAGE_OFFSET + 8;
const MIN_PAGE = 512;
const MAX_PAGE = 65536;

/**
 * Throws `StoreCorrupt` unless the data file at `file` is missing or empty (a new store) or
 * starts with two valid LMDB meta pages whose newest one fits in the file. `StoreVersion` when
 * the meta pages carry an LMDB data version other than `expectedVersion`. Returns whether the
 * file holds an environment.
 */
export function checkLmdbFile(file: string, expectedVersion = 2): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if (Reflect.get(error as object, 'code') === 'ENOENT') return false;
    throw error;
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return false;
    const first = readAt(fd, 0, Math.min(size, MAX_PAGE));
    const pageSize = metaPageSize(first, file, 0);
    if (size < 2 * pageSize) corrupt(file, `${size} bytes is shorter than its two meta pages`);
    const second = readAt(fd, pageSize, pageSize);
    const metas = [first, second].map((page, index) => {
      if (page.readUInt32LE(PAGE_HEADER) !== MDB_MAGIC)
        corrupt(file, `meta page ${index} has no LMDB magic`);
      if ((page.readUInt16LE(18) & P_META) === 0) corrupt(file, `page ${index} is not a meta page`);
      const version = page.readUInt32LE(META_VERSION_OFFSET);
      if (version !== expectedVersion) {
        throw new IpcError(
          ErrorCode.StoreVersion,
          `${file}: LMDB data version ${version}, this build reads version ${expectedVersion}`,
        );
      }
      return {
        lastPage: page.readBigUInt64LE(LAST_PAGE_OFFSET),
        txnid: page.readBigUInt64LE(TXNID_OFFSET),
      };
    });
    const [a, b] = metas as [(typeof metas)[0], (typeof metas)[0]];
    const newest = a.txnid >= b.txnid ? a : b;
    const needed = (newest.lastPage + 1n) * BigInt(pageSize);
    if (needed > BigInt(size))
      corrupt(file, `its newest meta page needs ${needed} bytes, the file has ${size}`);
    return true;
  } finally {
    closeSync(fd);
  }
}

function metaPageSize(page: Buffer, file: string, index: number): number {
  if (page.length < LAST_PAGE_OFFSET + 16) corrupt(file, 'too short for an LMDB meta page');
  if (page.readUInt32LE(PAGE_HEADER) !== MDB_MAGIC)
    corrupt(file, `meta page ${index} has no LMDB magic`);
  const pageSize = page.readUInt32LE(PAGE_SIZE_OFFSET);
  if (pageSize < MIN_PAGE || pageSize > MAX_PAGE || (pageSize & (pageSize - 1)) !== 0) {
    corrupt(file, `implausible page size ${pageSize}`);
  }
  return pageSize;
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const read = readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, read);
}

function corrupt(file: string, why: string): never {
  throw new IpcError(ErrorCode.StoreCorrupt, `${file} is not a valid LMDB data file: ${why}`);
}
