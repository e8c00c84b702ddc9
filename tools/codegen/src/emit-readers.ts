import type { FieldModel, SchemaModel, TableModel } from './model.ts';
import type { GeneratedFile } from './printer.ts';
import { defaultLiteral, isLaterScalar, isOptional } from './ts-types.ts';

/**
 * Emits one `read<Table>(reader, position)` per table, which decodes in place: strings become
 * JS strings, byte vectors stay views of the frame (no copy). Readers trust their input; the
 * root `decode<Root>` verifies first, `decode<Root>Unchecked` is for already verified bytes.
 */
export function emitReaders(file: GeneratedFile, model: SchemaModel): void {
  for (const union of model.unions) {
    file.function(
      `read${union.name}`,
      [`Decodes the {@link ${union.name}} member with wire tag \`tag\` at \`position\`.`],
      [
        { name: 'reader', type: 'WireReader' },
        { name: 'tag', type: 'number' },
        { name: 'position', type: 'number' },
      ],
      union.name,
      (w) => {
        w.block('switch (tag)', () => {
          for (const m of union.members) {
            w.line(
              `case ${m.tag}: return { type: '${m.name}', value: read${m.table}(reader, position) };`,
            );
          }
          w.line(`default: return unverifiedTag('${union.name}', tag);`);
        });
      },
    );
  }
  for (const table of model.tables) emitTableReader(file, table);

  const root = model.rootTable;
  file.function(
    `decode${root}`,
    [
      `Verifies \`bytes\` (see {@link verify${root}Bytes}) and decodes the {@link ${root}} they hold.`,
      'Byte vectors in the result are views of `bytes`, not copies.',
      '@throws IpcError with code `Malformed` when the bytes are not a valid frame.',
    ],
    [
      { name: 'bytes', type: 'Uint8Array' },
      { name: 'limits', type: 'VerifyLimits', initializer: 'defaultVerifyLimits' },
    ],
    root,
    (w) => {
      w.line(`verify${root}Bytes(bytes, limits);`);
      w.line(`return decode${root}Unchecked(bytes);`);
    },
  );
  file.function(
    `decode${root}Unchecked`,
    [`Decodes a {@link ${root}} from bytes that {@link verify${root}Bytes} has accepted.`],
    [{ name: 'bytes', type: 'Uint8Array' }],
    root,
    (w) => {
      w.line('const reader = new WireReader(bytes);');
      w.line(`return read${root}(reader, reader.indirect(0));`);
    },
  );
}

function emitTableReader(file: GeneratedFile, table: TableModel): void {
  file.function(
    `read${table.name}`,
    [`Decodes the {@link ${table.name}} table at \`position\`.`],
    [
      { name: table.fields.length === 0 ? '_reader' : 'reader', type: 'WireReader' },
      { name: table.fields.length === 0 ? '_position' : 'position', type: 'number' },
    ],
    table.name,
    (w) => {
      if (table.fields.length === 0) {
        w.line('return {};');
        return;
      }
      w.line('const vtable = position - reader.i32(position);');
      w.line('const vtableSize = reader.u16(vtable);');
      const slotVar = (slot: number): string => `o${slot}`;
      for (const field of table.fields) {
        for (const slot of field.tagSlot === undefined
          ? [field.slot]
          : [field.tagSlot, field.slot]) {
          w.line(
            `const ${slotVar(slot)} = ${slot} < vtableSize ? reader.u16(vtable + ${slot}) : 0;`,
          );
        }
      }
      w.line('return {');
      for (const field of table.fields)
        w.line(`${field.tsName}: ${readExpression(field, slotVar)},`);
      w.line('};');
    },
  );
}

function readExpression(field: FieldModel, slotVar: (slot: number) => string): string {
  const o = slotVar(field.slot);
  const at = `position + ${o}`;
  const type = field.type;
  // A scalar added after version 1 reads as undefined when absent (its default), so fast
  // decoders written before it still produce equal objects.
  const absent = isOptional(field) || isLaterScalar(field) ? 'undefined' : defaultLiteral(field);
  const orAbsent = (expr: string): string =>
    field.required ? expr : `${o} === 0 ? ${absent} : ${expr}`;
  switch (type.kind) {
    case 'scalar': {
      const raw = scalarRead(type.scalar, at);
      if (isLaterScalar(field)) {
        // Absent and default read alike (undefined), so decode → encode → decode is stable:
        // writers leave a default out.
        if (field.defaultValue !== 0)
          throw new Error(`${field.name}: a later scalar defaults to 0`);
        const zero = type.scalar === 'int64' || type.scalar === 'uint64' ? '0n' : '0';
        const value = type.scalar === 'bool' ? 'true' : raw;
        const typed = type.enumName ? `(${value} as ${type.enumName})` : value;
        return `${o} === 0 || ${raw} === ${zero} ? undefined : ${typed}`;
      }
      const value = type.scalar === 'bool' ? `${raw} !== 0` : raw;
      return orAbsent(type.enumName ? `(${value} as ${type.enumName})` : value);
    }
    case 'string':
      return orAbsent(`reader.string(${at})`);
    case 'bytes':
      return orAbsent(`reader.byteVector(${at})`);
    case 'table':
      return orAbsent(`read${type.table}(reader, reader.indirect(${at}))`);
    case 'vector':
      if (type.element.kind === 'string') return orAbsent(`readStringVector(reader, ${at})`);
      return orAbsent(`readTableVector(reader, ${at}, read${type.element.table})`);
    case 'union': {
      const tag = `reader.u8(position + ${slotVar(field.tagSlot ?? 0)})`;
      return orAbsent(`read${type.union}(reader, ${tag}, reader.indirect(${at}))`);
    }
  }
}

function scalarRead(scalar: string, at: string): string {
  const method: Record<string, string> = {
    bool: 'u8',
    int8: 'i8',
    uint8: 'u8',
    int16: 'i16',
    uint16: 'u16',
    int32: 'i32',
    uint32: 'u32',
    int64: 'i64',
    uint64: 'u64',
    float32: 'f32',
    float64: 'f64',
  };
  return `reader.${method[scalar]}(${at})`;
}
