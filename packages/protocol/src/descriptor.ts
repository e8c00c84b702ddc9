// Types of the generated `schemaDescriptor` (src/gen/descriptors.ts): the schema as data.

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

/** The type of a field. Byte vectors (`[ubyte]`) are `bytes`. */
export type FieldTypeDescriptor =
  | { readonly kind: 'scalar'; readonly scalar: ScalarKind; readonly enumName?: string }
  | { readonly kind: 'string' }
  | { readonly kind: 'bytes' }
  | { readonly kind: 'table'; readonly table: string }
  | { readonly kind: 'union'; readonly union: string }
  | {
      readonly kind: 'vector';
      readonly element:
        | { readonly kind: 'string' }
        | { readonly kind: 'table'; readonly table: string };
    };

/** A field of a table (a union's `_type` tag is part of its union field). */
export interface FieldDescriptor {
  /** Name in the schema and in flatc's JSON (snake_case). */
  readonly name: string;
  /** Name in TypeScript objects (camelCase). */
  readonly tsName: string;
  readonly type: FieldTypeDescriptor;
  readonly required: boolean;
  /** Default of a scalar field. */
  readonly defaultValue: number;
  /** The protocol version that added the field, when after 1 (spec/versioning.md rule 5). */
  readonly since?: number;
}

/** A table, its fields in field-id order. */
export interface TableDescriptor {
  readonly name: string;
  readonly fields: readonly FieldDescriptor[];
}

/** An enum: value by name. */
export interface EnumDescriptor {
  readonly name: string;
  readonly values: Readonly<Record<string, number>>;
}

/** A union: its members, each a table with a wire tag. */
export interface UnionDescriptor {
  readonly name: string;
  readonly members: readonly {
    readonly name: string;
    readonly tag: number;
    readonly table: string;
  }[];
}

/** The whole schema. */
export interface SchemaDescriptor {
  readonly fileIdentifier: string;
  readonly rootTable: string;
  readonly enums: Readonly<Record<string, EnumDescriptor>>;
  readonly unions: Readonly<Record<string, UnionDescriptor>>;
  readonly tables: Readonly<Record<string, TableDescriptor>>;
}
