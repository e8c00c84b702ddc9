// The export format's lines (spec/crdt.md#export-format): one record with its CRDT metadata
// per line of JSON. Field values are written as the store's JSON text, whitespace dropped, and
// read back as their source text, so numbers keep every digit both ways (JSON.parse would round
// those beyond a double's precision).
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import type { ClockEntry, FieldState, Record as WireRecord } from '@pluresdb-ipc/protocol/messages';

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const U64_MAX = 2n ** 64n - 1n;

/** One line of the export format for `record`, without its newline. */
export function recordLine(record: WireRecord): string {
  let line = `{"key":${JSON.stringify(record.key)},"hlc":"${record.hlc}","actor":${JSON.stringify(record.actor ?? '')},"deleted":${record.deleted},"deletedHlc":"${record.deletedHlc}"`;
  if (record.deletedHlc !== 0n)
    line += `,"deletedActor":${JSON.stringify(record.deletedActor ?? '')}`;
  line += ',"clock":[';
  (record.clock ?? []).forEach((entry, k) => {
    line += `${k === 0 ? '' : ','}{"actor":${JSON.stringify(entry.actor)},"counter":"${entry.counter}"}`;
  });
  line += '],"fields":[';
  (record.fields ?? []).forEach((field, k) => {
    line += `${k === 0 ? '' : ','}{"name":${JSON.stringify(field.name)}`;
    if (field.value !== undefined) line += `,"value":${compactJson(field.value)}`;
    line += `,"hlc":"${field.hlc}","actor":${JSON.stringify(field.actor)}}`;
  });
  line += ']';
  if (record.data !== undefined && !record.deleted) line += `,"data":${compactJson(record.data)}`;
  return `${line}}`;
}

// JSON text without whitespace outside strings: a value stored as sent may span lines, and a
// line holds one record. (Inside a JSON string a line break is always escaped.)
function compactJson(bytes: Uint8Array): string {
  const text = decoder.decode(bytes);
  if (!/[\s]/.test(text)) return text;
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') out += c;
  }
  return out;
}

/**
 * Reads one line of the export format into a wire Record; throws `InvalidArgument` saying
 * what is wrong with it.
 */
export function parseRecordLine(text: string): WireRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw bad(`not JSON (${(error as Error).message})`);
  }
  if (!isObject(parsed)) throw bad('not a JSON object');
  const key = parsed.key;
  if (typeof key !== 'string' || key === '') throw bad('"key" must be a non-empty string');
  const actor = parsed.actor;
  if (typeof actor !== 'string') throw bad('"actor" must be a string');
  const deletedHlc = parsed.deletedHlc === undefined ? 0n : u64(parsed.deletedHlc, 'deletedHlc');
  const deletedActor = parsed.deletedActor;
  if (deletedActor !== undefined && typeof deletedActor !== 'string')
    throw bad('"deletedActor" must be a string');
  const raw = rawSpans(text);
  const record: WireRecord = {
    key,
    hlc: u64(parsed.hlc, 'hlc'),
    actor,
    deleted: parsed.deleted === true,
    deletedHlc,
    deletedActor: deletedHlc === 0n ? undefined : deletedActor,
    clock: clockOf(parsed.clock),
    fields: parsed.fields === undefined ? undefined : fieldsOf(parsed.fields, raw.fieldValues),
    data: parsed.fields === undefined && raw.data !== undefined ? raw.data : undefined,
  };
  return record;
}

function clockOf(value: unknown): ClockEntry[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw bad('"clock" must be an array');
  return value.map((entry, k) => {
    if (!isObject(entry) || typeof entry.actor !== 'string')
      throw bad(`clock entry ${k} needs a string "actor"`);
    return { actor: entry.actor, counter: u64(entry.counter, `clock[${k}].counter`) };
  });
}

function fieldsOf(value: unknown, rawValues: (Uint8Array | undefined)[]): FieldState[] {
  if (!Array.isArray(value)) throw bad('"fields" must be an array');
  return value.map((field, k) => {
    if (!isObject(field) || typeof field.name !== 'string')
      throw bad(`field ${k} needs a string "name"`);
    if (typeof field.actor !== 'string') throw bad(`field ${k} needs a string "actor"`);
    return {
      name: field.name,
      value: field.value === undefined ? undefined : rawValues[k],
      hlc: u64(field.hlc, `fields[${k}].hlc`),
      actor: field.actor,
    };
  });
}

// A u64 as a decimal string, or as a JSON integer a double holds exactly.
function u64(value: unknown, what: string): bigint {
  let n: bigint | undefined;
  if (typeof value === 'string' && /^[0-9]{1,20}$/.test(value)) n = BigInt(value);
  else if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)
    n = BigInt(value);
  if (n === undefined || n > U64_MAX)
    throw bad(`"${what}" must be a u64 as a decimal string, got ${JSON.stringify(value)}`);
  return n;
}

function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bad(what: string): IpcError {
  return new IpcError(ErrorCode.InvalidArgument, what);
}

// ---- Source spans. The line already parsed as JSON, so the walk below may trust its shape.

interface Span {
  readonly start: number;
  readonly end: number;
}

/** The source text of `data` and of each `fields[k].value`, as UTF-8 bytes. */
function rawSpans(text: string): {
  data: Uint8Array | undefined;
  fieldValues: (Uint8Array | undefined)[];
} {
  const top = members(text, skipSpace(text, 0));
  const bytes = (span: Span | undefined) =>
    span === undefined ? undefined : encoder.encode(text.slice(span.start, span.end));
  const fields = top.get('fields');
  const fieldValues =
    fields === undefined || text[fields.start] !== '['
      ? []
      : elements(text, fields.start).map((element) =>
          text[element.start] === '{'
            ? bytes(members(text, element.start).get('value'))
            : undefined,
        );
  const data = top.get('data');
  return {
    data: data !== undefined && text[data.start] === '{' ? bytes(data) : undefined,
    fieldValues,
  };
}

// The members of the object at `p` ('{'), by name; a name given twice keeps its last, as
// JSON.parse does.
function members(text: string, p: number): Map<string, Span> {
  const out = new Map<string, Span>();
  p = skipSpace(text, p + 1);
  if (text[p] === '}') return out;
  for (;;) {
    const nameEnd = skipValue(text, p);
    const name = JSON.parse(text.slice(p, nameEnd)) as string;
    p = skipSpace(text, skipSpace(text, nameEnd) + 1);
    const end = skipValue(text, p);
    out.set(name, { start: p, end });
    p = skipSpace(text, end);
    if (text[p] !== ',') return out;
    p = skipSpace(text, p + 1);
  }
}

function elements(text: string, p: number): Span[] {
  const out: Span[] = [];
  p = skipSpace(text, p + 1);
  if (text[p] === ']') return out;
  for (;;) {
    const end = skipValue(text, p);
    out.push({ start: p, end });
    p = skipSpace(text, end);
    if (text[p] !== ',') return out;
    p = skipSpace(text, p + 1);
  }
}

function skipValue(text: string, p: number): number {
  const c = text[p];
  if (c === '"') return skipString(text, p);
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let i = p; i < text.length; i++) {
      const d = text[i];
      if (d === '"') i = skipString(text, i) - 1;
      else if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') {
        if (--depth === 0) return i + 1;
      }
    }
    return text.length;
  }
  let i = p;
  while (i < text.length && !',}] \t\n\r'.includes(text[i] as string)) i++;
  return i;
}

function skipString(text: string, p: number): number {
  for (let i = p + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '"') return i + 1;
  }
  return text.length;
}

function skipSpace(text: string, p: number): number {
  while (p < text.length && ' \t\n\r'.includes(text[p] as string)) p++;
  return p;
}
