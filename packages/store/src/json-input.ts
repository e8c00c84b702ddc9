// Turning caller data into field values (spec/crdt.md#values). Objects from JavaScript callers
// are walked once to reject what JSON cannot represent faithfully (undefined, functions,
// cycles, NaN, class instances) instead of letting JSON.stringify drop or mangle it, then each
// top-level field is serialised by JSON.stringify. JSON bytes from the wire are validated by
// one scan and each field's value bytes are kept exactly as sent.
import { ByteWriter } from './byte-writer.ts';
import { checkFieldName, scanObject } from './json-scan.ts';
import { MAX_JSON_DEPTH } from './limits.ts';
import { Members } from './members.ts';
import { invalidArgument, tooLarge } from './store-errors.ts';
import { readUtf8 } from './text.ts';

export { checkFieldName };

/** Any JSON value. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;

/** A JSON object: what a record's data is. */
export interface JsonObject {
  readonly [field: string]: JsonValue;
}

/** A field value as the reference CRDT functions take it: its name and its JSON bytes. */
export interface FieldValue {
  readonly name: string;
  readonly value: Uint8Array;
}

// One Members (and its scratch) serves every write: a write's members are consumed before the
// next write's are built, batches included.
const members = new Members();
const scratch = new ByteWriter();

/** Validates a JavaScript object as record data; returns its fields (valid until the next call). */
export function membersFromObject(data: unknown): Members {
  if (!isPlainObject(data))
    throw invalidArgument(`data must be a plain object, got ${describe(data)}`);
  const ancestors = new Set<object>([data]);
  const spans: number[] = [];
  scratch.reset();
  for (const name of Object.keys(data)) {
    checkFieldName(name);
    const value: unknown = data[name];
    checkValue(value, ancestors, 1, name);
    const nameStart = scratch.position;
    scratch.utf8(name);
    const valueStart = scratch.position;
    scratch.utf8(stringify(value, name));
    spans.push(nameStart, valueStart, valueStart, scratch.position);
  }
  members.reset(scratch.buffer, true);
  for (let k = 0; k < spans.length; k += 4) {
    members.add(
      spans[k] as number,
      spans[k + 1] as number,
      spans[k + 2] as number,
      spans[k + 3] as number,
    );
  }
  members.finish();
  return members;
}

/**
 * Validates UTF-8 JSON bytes holding one object; returns its fields (valid until the next
 * call), values as the bytes given. A name given twice keeps its last value, as in JSON.parse.
 */
export function membersFromJson(bytes: Uint8Array): Members {
  scanObject(bytes, 'data', members, scratch);
  members.finish();
  return members;
}

/** The fields of `from` as FieldValues (names decoded, values copied), in name order. */
export function fieldValues(from: Members): FieldValue[] {
  const out: FieldValue[] = [];
  for (let k = 0; k < from.count; k++) {
    out.push({
      name: readUtf8(from.source, from.nameStart[k] as number, from.nameEnd[k] as number),
      value: from.source.slice(from.valueStart[k] as number, from.valueEnd[k] as number),
    });
  }
  return out;
}

function stringify(value: unknown, name: string): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    // Only a RangeError (nesting too deep for the stack) can get here after validation.
    throw tooLarge(`field ${JSON.stringify(name)} is nested too deeply to serialise`, error);
  }
}

function checkValue(value: unknown, ancestors: Set<object>, depth: number, path: string): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value))
        throw invalidArgument(`${path} is ${value}, which JSON cannot hold`);
      return;
    case 'object':
      break;
    default:
      throw invalidArgument(`${path} is ${describe(value)}, which JSON cannot hold`);
  }
  if (value === null) return;
  if (depth > MAX_JSON_DEPTH)
    throw tooLarge(`${path} is nested deeper than ${MAX_JSON_DEPTH} levels`);
  if (ancestors.has(value)) throw invalidArgument(`${path} refers back to itself (cyclic)`);
  ancestors.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      // A hole reads as undefined and is rejected like an explicit undefined.
      checkValue(value[i], ancestors, depth + 1, `${path}[${i}]`);
    }
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      checkValue(value[key], ancestors, depth + 1, `${path}.${key}`);
    }
  } else {
    throw invalidArgument(
      `${path} is ${describe(value)}; only plain objects and arrays are allowed`,
    );
  }
  ancestors.delete(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object')
    return `an instance of ${value.constructor?.name ?? 'an unknown class'}`;
  return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
}
