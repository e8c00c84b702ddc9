// The change log's bounds from `StoreOptions.changeLog`, with their defaults
// (spec/crdt.md#subscriptions, docs/operations.md#change-log).
import type { ChangeLogLimits } from './change-log-pruner.ts';
import {
  DEFAULT_CHANGE_LOG_MAX_AGE_MS,
  DEFAULT_CHANGE_LOG_MAX_BYTES,
  DEFAULT_CHANGE_LOG_MAX_ENTRIES,
} from './limits.ts';
import { invalidArgument } from './store-errors.ts';
import type { ChangeLogOptions } from './types.ts';

/** Validates `options` and fills in the defaults. */
export function resolveChangeLogLimits(options: ChangeLogOptions | undefined): ChangeLogLimits {
  if (options !== undefined && (typeof options !== 'object' || options === null))
    throw invalidArgument('changeLog must be an object');
  return {
    maxEntries: bound(options?.maxEntries, DEFAULT_CHANGE_LOG_MAX_ENTRIES, 'maxEntries'),
    maxBytes: bound(options?.maxBytes, DEFAULT_CHANGE_LOG_MAX_BYTES, 'maxBytes'),
    maxAgeMs: bound(options?.maxAgeMs, DEFAULT_CHANGE_LOG_MAX_AGE_MS, 'maxAgeMs'),
  };
}

function bound(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0)
    throw invalidArgument(`changeLog.${name} must be a non-negative integer (0 = no limit)`);
  return value;
}
