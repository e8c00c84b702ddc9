import type { FieldModel, FieldType, ScalarType } from './model.ts';

/** The TypeScript type of a scalar (enums by name, 64-bit integers as bigint). */
export function scalarTsType(type: ScalarType): string {
  if (type.enumName) return type.enumName;
  if (type.scalar === 'bool') return 'boolean';
  return type.scalar === 'int64' || type.scalar === 'uint64' ? 'bigint' : 'number';
}

/** The TypeScript type of a field's value. */
export function fieldTsType(type: FieldType): string {
  switch (type.kind) {
    case 'scalar':
      return scalarTsType(type);
    case 'string':
      return 'string';
    case 'bytes':
      return 'Uint8Array';
    case 'table':
      return type.table;
    case 'union':
      return type.union;
    case 'vector':
      return type.element.kind === 'string'
        ? 'readonly string[]'
        : `readonly ${type.element.table}[]`;
  }
}

/** True when the field may be absent: a non-required string, vector, table or union. */
export function isOptional(field: FieldModel): boolean {
  return field.type.kind !== 'scalar' && !field.required;
}

/**
 * True for a scalar added after protocol version 1: optional in the TypeScript type, so code
 * written before it still type-checks; writers write its default when it is left out, readers
 * always fill it in.
 */
export function isLaterScalar(field: FieldModel): boolean {
  return field.type.kind === 'scalar' && field.since > 1;
}

/** The default of a scalar field as a TypeScript literal. */
export function defaultLiteral(field: FieldModel): string {
  const type = field.type;
  if (type.kind !== 'scalar') return '0';
  if (type.scalar === 'bool') return field.defaultValue ? 'true' : 'false';
  if (type.scalar === 'int64' || type.scalar === 'uint64') return `${field.defaultValue}n`;
  return String(field.defaultValue);
}

/** Lower-camel form of a type name, for function names (`ErrorCode` → `errorCode`). */
export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
