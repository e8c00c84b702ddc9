// The CLI's range and condition flags (spec/crdt.md#ranges, #conditional-writes):
// `--start K --end K` on list, count and delete-range; `--if-absent`, `--if-hlc N` on put,
// patch and del.
import type { RangeQuery, WriteCondition } from '@pluresdb-ipc/protocol';
import { UsageError } from './output.ts';
import type { ParsedArgs } from './parse-args.ts';

/** The range of a command: `prefix` (an operand or --prefix) with --start and --end. */
export function rangeArgs(prefix: string | undefined, args: ParsedArgs): RangeQuery {
  const { start, end } = args.values;
  if (prefix !== undefined && args.values.prefix !== undefined && prefix !== args.values.prefix) {
    throw new UsageError('give the prefix once: as the operand or as --prefix');
  }
  const chosen = prefix ?? args.values.prefix;
  return {
    ...(chosen === undefined || chosen === '' ? {} : { prefix: chosen }),
    ...(start === undefined || start === '' ? {} : { start }),
    ...(end === undefined || end === '' ? {} : { end }),
  };
}

/** delete-range's range; an empty one (every record) only with --all. */
export function deleteRangeArgs(prefix: string | undefined, args: ParsedArgs): RangeQuery {
  const range = rangeArgs(prefix, args);
  const empty = range.prefix === undefined && range.start === undefined && range.end === undefined;
  if (empty && args.values.all !== true) {
    throw new UsageError(
      'delete-range needs a PREFIX, --start or --end; --all deletes every record',
    );
  }
  if (!empty && args.values.all === true) {
    throw new UsageError('--all deletes every record: drop it, or drop the range');
  }
  return range;
}

/** The conditions of put, patch or del. */
export function writeConditionArgs(args: ParsedArgs): WriteCondition {
  const { 'if-absent': ifAbsent, 'if-hlc': ifHlc } = args.values;
  return {
    ...(ifAbsent ? { ifAbsent: true } : {}),
    ...(ifHlc === undefined ? {} : { ifHlc: hlcArg(ifHlc) }),
  };
}

function hlcArg(text: string): bigint {
  if (!/^[0-9]{1,20}$/.test(text) || BigInt(text) >= 1n << 64n) {
    throw new UsageError('--if-hlc must be an HLC: an integer from 0 to 2^64 - 1');
  }
  return BigInt(text);
}
