// Command-line parsing (node:util parseArgs: strict, so unknown flags are usage errors).
import { parseArgs } from 'node:util';
import { UsageError } from './output.ts';

const options = {
  channel: { type: 'string' },
  data: { type: 'string' },
  'max-clients': { type: 'string' },
  'ring-bytes': { type: 'string' },
  'max-value-bytes': { type: 'string' },
  durability: { type: 'string' },
  writemap: { type: 'boolean' },
  'fix-permissions': { type: 'boolean' },
  'secret-file': { type: 'string' },
  'spin-micros': { type: 'string' },
  'max-outbound-bytes': { type: 'string' },
  'parent-pid': { type: 'string' },
  timeout: { type: 'string' },
  prefix: { type: 'string' },
  after: { type: 'string' },
  limit: { type: 'string' },
  all: { type: 'boolean' },
  start: { type: 'string' },
  end: { type: 'string' },
  reverse: { type: 'boolean' },
  'if-absent': { type: 'boolean' },
  'if-hlc': { type: 'string' },
  'max-in-flight': { type: 'string' },
  'tombstone-horizon-ms': { type: 'string' },
  clean: { type: 'boolean' },
  json: { type: 'boolean' },
  since: { type: 'string' },
  'change-log-entries': { type: 'string' },
  'change-log-bytes': { type: 'string' },
  'change-log-age-ms': { type: 'string' },
  'no-resume': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** The parsed command line. */
export type ParsedArgs = ReturnType<typeof parseCommandLine>;

/** Parses `argv` (without node and the script). */
export function parseCommandLine(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A flag's value as a non-negative integer (0 meaning "no limit" for bounds). */
export function nonNegativeInteger(text: string, flag: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(value) || value < 0)
    throw new UsageError(`${flag} must be a non-negative integer`);
  return value;
}

/** A flag's value as a positive integer. */
export function positiveInteger(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new UsageError(`${flag} must be a positive integer`);
  return value;
}
