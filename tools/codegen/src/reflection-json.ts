// The shape of flatc's reflection data once `flatc --json --defaults-json` has turned the
// `.bfbs` into JSON (see ../reflection/reflection.fbs). Only what the generator reads.

/** `reflection.BaseType`, as flatc prints it in JSON. */
export type BaseType =
  | 'None'
  | 'UType'
  | 'Bool'
  | 'Byte'
  | 'UByte'
  | 'Short'
  | 'UShort'
  | 'Int'
  | 'UInt'
  | 'Long'
  | 'ULong'
  | 'Float'
  | 'Double'
  | 'String'
  | 'Vector'
  | 'Obj'
  | 'Union'
  | 'Array'
  | 'Vector64';

/** `reflection.Type`. */
export interface ReflectedType {
  base_type: BaseType;
  element: BaseType;
  index: number;
  base_size: number;
  element_size: number;
}

/** `reflection.Field`. */
export interface ReflectedField {
  name: string;
  type: ReflectedType;
  id: number;
  offset: number;
  default_integer: number;
  default_real: number;
  deprecated: boolean;
  required: boolean;
  optional: boolean;
  documentation?: string[];
}

/** `reflection.Object` (a table or a struct). */
export interface ReflectedObject {
  name: string;
  fields: ReflectedField[];
  is_struct: boolean;
  documentation?: string[];
}

/** `reflection.EnumVal`. */
export interface ReflectedEnumValue {
  name: string;
  value: number;
  union_type?: ReflectedType;
  documentation?: string[];
}

/** `reflection.Enum` (an enum or a union). */
export interface ReflectedEnum {
  name: string;
  values: ReflectedEnumValue[];
  is_union: boolean;
  underlying_type: ReflectedType;
  documentation?: string[];
}

/** `reflection.Schema`. */
export interface ReflectedSchema {
  objects: ReflectedObject[];
  enums: ReflectedEnum[];
  file_ident?: string;
  root_table?: ReflectedObject;
}
