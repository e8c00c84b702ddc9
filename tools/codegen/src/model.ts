import type {
  BaseType,
  ReflectedEnum,
  ReflectedField,
  ReflectedSchema,
  ReflectedType,
} from './reflection-json.ts';

/** A scalar kind, named after its TypeScript/DataView spelling. */
export type ScalarKind =
  | 'bool'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'float32'
  | 'float64';

/** A scalar field's type, possibly an enum. */
export interface ScalarType {
  readonly kind: 'scalar';
  readonly scalar: ScalarKind;
  readonly enumName?: string;
}

/** The types a field can have in the subset of FlatBuffers the generator supports. */
export type FieldType =
  | ScalarType
  | { readonly kind: 'string' }
  | { readonly kind: 'bytes' }
  | { readonly kind: 'table'; readonly table: string }
  | { readonly kind: 'union'; readonly union: string }
  | { readonly kind: 'vector'; readonly element: VectorElement };

/** The element of a vector field (byte vectors are their own `bytes` type). */
export type VectorElement =
  | { readonly kind: 'string' }
  | { readonly kind: 'table'; readonly table: string };

/** One field of a table; a union's `_type` companion is folded into its union field. */
export interface FieldModel {
  /** Name in the schema (snake_case). */
  readonly name: string;
  /** Name in TypeScript (camelCase). */
  readonly tsName: string;
  readonly id: number;
  /** Byte offset of the field's entry in the vtable. */
  readonly slot: number;
  readonly type: FieldType;
  readonly required: boolean;
  /** Default of a scalar field (0 for non-scalars). */
  readonly defaultValue: number;
  /** For a union field: the vtable slot of its `_type` tag. */
  readonly tagSlot?: number;
  readonly doc: readonly string[];
  /** The protocol version that added the field (its doc's "Since protocol version N."; else 1). */
  readonly since: number;
}

/** A table of the schema. */
export interface TableModel {
  readonly name: string;
  readonly fields: readonly FieldModel[];
  /** Number of vtable entries, counting union tags. */
  readonly slotCount: number;
  readonly doc: readonly string[];
}

/** An enum of the schema. */
export interface EnumModel {
  readonly name: string;
  readonly scalar: ScalarKind;
  readonly values: readonly {
    readonly name: string;
    readonly value: number;
    readonly doc: readonly string[];
  }[];
  readonly doc: readonly string[];
}

/** A union of the schema: its members are tables. */
export interface UnionModel {
  readonly name: string;
  readonly members: readonly {
    readonly name: string;
    readonly tag: number;
    readonly table: string;
  }[];
  readonly doc: readonly string[];
}

/** Everything the emitters need to know about the schema. */
export interface SchemaModel {
  readonly fileIdentifier: string;
  readonly rootTable: string;
  readonly enums: readonly EnumModel[];
  readonly unions: readonly UnionModel[];
  readonly tables: readonly TableModel[];
}

const scalarKinds: Partial<Record<BaseType, ScalarKind>> = {
  Bool: 'bool',
  Byte: 'int8',
  UByte: 'uint8',
  UType: 'uint8',
  Short: 'int16',
  UShort: 'uint16',
  Int: 'int32',
  UInt: 'uint32',
  Long: 'int64',
  ULong: 'uint64',
  Float: 'float32',
  Double: 'float64',
};

/** Size in bytes of a scalar kind. */
export function scalarSize(kind: ScalarKind): 1 | 2 | 4 | 8 {
  switch (kind) {
    case 'bool':
    case 'int8':
    case 'uint8':
      return 1;
    case 'int16':
    case 'uint16':
      return 2;
    case 'int32':
    case 'uint32':
    case 'float32':
      return 4;
    default:
      return 8;
  }
}

/** Size in bytes of a field's inline value in its table (offsets are 4 bytes). */
export function inlineSize(type: FieldType): number {
  return type.kind === 'scalar' ? scalarSize(type.scalar) : 4;
}

/**
 * Builds the model from flatc's reflection data. Throws on any schema feature the generator
 * does not support (structs, fixed arrays, vectors of unions or of non-byte scalars, optional
 * scalars), so an unsupported schema fails loudly rather than generating wrong code.
 */
export function buildModel(schema: ReflectedSchema): SchemaModel {
  const shortName = (name: string): string => name.slice(name.lastIndexOf('.') + 1);
  const objects = schema.objects;
  const enumsByIndex = schema.enums;
  const objectName = (index: number): string => shortName(at(objects, index, 'object').name);

  const enums: EnumModel[] = [];
  const unions: UnionModel[] = [];
  for (const e of enumsByIndex) {
    if (e.is_union) unions.push(unionModel(e, shortName, objectName));
    else enums.push(enumModel(e, shortName));
  }

  const tables: TableModel[] = objects.map((object) => {
    const where = shortName(object.name);
    if (object.is_struct) throw new Error(`${where}: structs are not supported by the generator`);
    const byId = [...object.fields].sort((a, b) => a.id - b.id);
    const fields: FieldModel[] = [];
    for (const field of byId) {
      if (field.deprecated || field.type.base_type === 'UType') continue;
      fields.push(
        fieldModel(field, byId, `${where}.${field.name}`, enumsByIndex, shortName, objectName),
      );
    }
    return { name: where, fields, slotCount: byId.length, doc: docOf(object.documentation) };
  });

  if (!schema.root_table) throw new Error('the schema has no root_type');
  const fileIdentifier = schema.file_ident ?? '';
  if (fileIdentifier.length !== 4)
    throw new Error('the schema needs a 4-character file_identifier');
  return { fileIdentifier, rootTable: shortName(schema.root_table.name), enums, unions, tables };
}

function fieldModel(
  field: ReflectedField,
  siblings: readonly ReflectedField[],
  where: string,
  enums: readonly ReflectedEnum[],
  shortName: (name: string) => string,
  objectName: (index: number) => string,
): FieldModel {
  if (field.optional && scalarKinds[field.type.base_type]) {
    throw new Error(`${where}: optional scalars (= null) are not supported`);
  }
  const type = fieldType(field.type, where, enums, shortName, objectName);
  let tagSlot: number | undefined;
  if (type.kind === 'union') {
    const tag = siblings.find((f) => f.name === `${field.name}_type`);
    if (!tag) throw new Error(`${where}: union without its _type field`);
    tagSlot = tag.offset;
  }
  if (!Number.isSafeInteger(field.default_integer) || field.default_real !== 0) {
    throw new Error(`${where}: only small integer defaults are supported`);
  }
  return {
    name: field.name,
    tsName: camelCase(field.name),
    id: field.id,
    slot: field.offset,
    type,
    required: field.required,
    defaultValue: field.default_integer,
    ...(tagSlot === undefined ? {} : { tagSlot }),
    doc: docOf(field.documentation),
    since: sinceVersion(field.documentation),
  };
}

function fieldType(
  type: ReflectedType,
  where: string,
  enums: readonly ReflectedEnum[],
  shortName: (name: string) => string,
  objectName: (index: number) => string,
): FieldType {
  const scalar = scalarKinds[type.base_type];
  if (scalar) {
    if (type.index < 0) return { kind: 'scalar', scalar };
    return { kind: 'scalar', scalar, enumName: shortName(at(enums, type.index, 'enum').name) };
  }
  switch (type.base_type) {
    case 'String':
      return { kind: 'string' };
    case 'Obj':
      return { kind: 'table', table: objectName(type.index) };
    case 'Union':
      return { kind: 'union', union: shortName(at(enums, type.index, 'union').name) };
    case 'Vector':
      if (type.element === 'UByte' || type.element === 'Byte') return { kind: 'bytes' };
      if (type.element === 'String') return { kind: 'vector', element: { kind: 'string' } };
      if (type.element === 'Obj')
        return { kind: 'vector', element: { kind: 'table', table: objectName(type.index) } };
      throw new Error(`${where}: vectors of ${type.element} are not supported`);
    default:
      throw new Error(`${where}: fields of type ${type.base_type} are not supported`);
  }
}

function enumModel(e: ReflectedEnum, shortName: (name: string) => string): EnumModel {
  const scalar = scalarKinds[e.underlying_type.base_type];
  if (!scalar || scalar === 'bool' || scalarSize(scalar) > 4) {
    throw new Error(`${e.name}: enums must have an integer type of at most 32 bits`);
  }
  return {
    name: shortName(e.name),
    scalar,
    values: e.values.map((v) => ({ name: v.name, value: v.value, doc: docOf(v.documentation) })),
    doc: docOf(e.documentation),
  };
}

function unionModel(
  e: ReflectedEnum,
  shortName: (name: string) => string,
  objectName: (index: number) => string,
): UnionModel {
  const members = e.values
    .filter((v) => v.value !== 0)
    .map((v) => {
      if (v.union_type?.base_type !== 'Obj')
        throw new Error(`${e.name}.${v.name}: union members must be tables`);
      return { name: v.name, tag: v.value, table: objectName(v.union_type.index) };
    });
  return { name: shortName(e.name), members, doc: docOf(e.documentation) };
}

function docOf(lines: readonly string[] | undefined): string[] {
  return (lines ?? []).map((line) => line.trim());
}

function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function at<T>(list: readonly T[], index: number, what: string): T {
  const item = list[index];
  if (item === undefined) throw new Error(`reflection data refers to a missing ${what} #${index}`);
  return item;
}

// spec/versioning.md rule 5: every addition documents the version that introduced it.
function sinceVersion(documentation: readonly string[] | undefined): number {
  const match = /Since protocol version (\d+)\./.exec((documentation ?? []).join(' '));
  return match ? Number(match[1]) : 1;
}
