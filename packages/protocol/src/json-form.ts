// Converts between our decoded objects and the JSON that flatc reads and writes
// (`flatc -b` / `flatc --json --strict-json`), driven by the generated schema descriptor.
// Golden vectors are written in this JSON, so a third party can feed them to any flatc.

import type { FieldDescriptor, TableDescriptor } from './descriptor.ts';
import { schemaDescriptor } from './gen/descriptors.ts';

/** A JSON value as flatc prints it; 64-bit integers may be `bigint` to keep their precision. */
export type FlatcJson =
  | null
  | boolean
  | number
  | bigint
  | string
  | FlatcJson[]
  | { [key: string]: FlatcJson };

/**
 * Converts a decoded object of table `tableName` (the root table by default) to flatc's JSON
 * form: snake_case keys in field-id order, enums by name, unions as `x_type` + `x`, byte
 * vectors as arrays of numbers, fields equal to their default left out (as flatc prints them).
 */
export function toFlatcJson(
  value: object,
  tableName: string = schemaDescriptor.rootTable,
): FlatcJson {
  const table = tableOf(tableName);
  const out: { [key: string]: FlatcJson } = {};
  const source = value as Record<string, unknown>;
  for (const field of table.fields) {
    const v = source[field.tsName];
    if (v === undefined) continue;
    const type = field.type;
    switch (type.kind) {
      case 'scalar': {
        if (isDefault(field, v)) break;
        if (type.enumName !== undefined) out[field.name] = enumName(type.enumName, Number(v));
        else out[field.name] = v as boolean | number | bigint;
        break;
      }
      case 'string':
        out[field.name] = v as string;
        break;
      case 'bytes':
        out[field.name] = Array.from(v as Uint8Array);
        break;
      case 'table':
        out[field.name] = toFlatcJson(v as object, type.table);
        break;
      case 'vector':
        out[field.name] =
          type.element.kind === 'string'
            ? [...(v as string[])]
            : (v as object[]).map((item) =>
                toFlatcJson(item, (type.element as { table: string }).table),
              );
        break;
      case 'union': {
        const member = v as { type: string; value: object };
        const table = unionMember(type.union, member.type).table;
        out[`${field.name}_type`] = member.type;
        out[field.name] = toFlatcJson(member.value, table);
        break;
      }
    }
  }
  return out;
}

/**
 * Converts flatc's JSON form of table `tableName` (the root table by default) into the object
 * our decoders produce: camelCase keys, 64-bit integers as `bigint`, byte vectors as
 * `Uint8Array`, absent scalars as their defaults (those added after version 1 as `undefined`, default or not),
 * absent optional fields as `undefined`.
 */
export function fromFlatcJson(
  json: FlatcJson,
  tableName: string = schemaDescriptor.rootTable,
): object {
  const table = tableOf(tableName);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new TypeError(`${tableName}: expected a JSON object`);
  }
  const out: Record<string, unknown> = {};
  for (const field of table.fields) {
    const v = json[field.name];
    const type = field.type;
    // A scalar added after version 1 reads as undefined when absent or default, as the
    // readers give it.
    const later = type.kind === 'scalar' && field.since !== undefined;
    if (v === undefined || v === null || (later && isDefault(field, v))) {
      out[field.tsName] =
        type.kind === 'scalar' && !later ? scalarFromJson(field, field.defaultValue) : undefined;
      continue;
    }
    switch (type.kind) {
      case 'scalar':
        out[field.tsName] = scalarFromJson(field, v);
        break;
      case 'string':
        out[field.tsName] = String(v);
        break;
      case 'bytes':
        out[field.tsName] = Uint8Array.from(v as number[], (b) => Number(b));
        break;
      case 'table':
        out[field.tsName] = fromFlatcJson(v, type.table);
        break;
      case 'vector':
        out[field.tsName] =
          type.element.kind === 'string'
            ? (v as FlatcJson[]).map(String)
            : (v as FlatcJson[]).map((item) =>
                fromFlatcJson(item, (type.element as { table: string }).table),
              );
        break;
      case 'union': {
        const memberName = String(json[`${field.name}_type`]);
        const member = unionMember(type.union, memberName);
        out[field.tsName] = { type: member.name, value: fromFlatcJson(v, member.table) };
        break;
      }
    }
  }
  return out;
}

function scalarFromJson(field: FieldDescriptor, v: FlatcJson): unknown {
  if (field.type.kind !== 'scalar') throw new TypeError(`${field.name} is not a scalar`);
  const { scalar, enumName } = field.type;
  if (enumName !== undefined && typeof v === 'string') {
    const value = schemaDescriptor.enums[enumName]?.values[v];
    if (value === undefined) throw new TypeError(`${field.name}: "${v}" is not a ${enumName}`);
    return value;
  }
  if (scalar === 'bool') return v === true || v === 'true' || Number(v) === 1;
  if (scalar === 'int64' || scalar === 'uint64') return BigInt(v as number | bigint | string);
  return Number(v);
}

function isDefault(field: FieldDescriptor, v: unknown): boolean {
  if (typeof v === 'boolean') return Number(v) === field.defaultValue;
  if (typeof v === 'bigint') return v === BigInt(field.defaultValue);
  return v === field.defaultValue;
}

function enumName(enumType: string, value: number): string | number {
  const values = schemaDescriptor.enums[enumType]?.values ?? {};
  const entry = Object.entries(values).find(([, v]) => v === value);
  return entry ? entry[0] : value;
}

function tableOf(name: string): TableDescriptor {
  const table = schemaDescriptor.tables[name];
  if (!table) throw new TypeError(`unknown table ${name}`);
  return table;
}

function unionMember(union: string, member: string): { name: string; table: string } {
  const found = schemaDescriptor.unions[union]?.members.find((m) => m.name === member);
  if (!found) throw new TypeError(`"${member}" is not a member of union ${union}`);
  return found;
}
