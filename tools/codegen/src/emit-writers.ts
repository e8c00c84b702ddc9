import {
  type FieldModel,
  inlineSize,
  type SchemaModel,
  scalarSize,
  type TableModel,
} from './model.ts';
import type { BodyWriter, GeneratedFile } from './printer.ts';
import { defaultLiteral, isLaterScalar, isOptional } from './ts-types.ts';

/**
 * Emits one `write<Table>(builder, value)` per table and `encode<Root>` for whole frames.
 * Byte-identical to flatc: children are created in field-id order (flatc parses JSON in that
 * order), then fields are added largest first, equal sizes in reverse id order (shared BRIEF §4).
 */
export function emitWriters(file: GeneratedFile, model: SchemaModel): void {
  for (const union of model.unions) {
    file.function(
      `write${union.name}`,
      [`Writes the table a {@link ${union.name}} holds; returns its offset.`],
      [
        { name: 'builder', type: 'FrameBuilder' },
        { name: 'value', type: union.name },
      ],
      'number',
      (w) => {
        w.block('switch (value.type)', () => {
          for (const m of union.members)
            w.line(`case '${m.name}': return write${m.table}(builder, value.value);`);
        });
      },
    );
  }
  for (const table of model.tables) emitTableWriter(file, table);

  const root = model.rootTable;
  file.function(
    `encode${root}`,
    [
      `Encodes a whole {@link ${root}} into \`builder\` (cleared first) and returns the bytes.`,
      "The result is a view of the builder's memory: copy it before the builder is used again.",
    ],
    [
      { name: 'builder', type: 'FrameBuilder' },
      { name: 'value', type: root },
    ],
    'Uint8Array',
    (w) => {
      w.line('builder.clear();');
      w.line(`builder.finish(write${root}(builder, value), '${model.fileIdentifier}');`);
      w.line('return builder.asUint8Array();');
    },
  );
}

interface Slot {
  readonly id: number;
  readonly size: number;
  readonly add: string;
}

function emitTableWriter(file: GeneratedFile, table: TableModel): void {
  file.function(
    `write${table.name}`,
    [`Writes a {@link ${table.name}} table into \`builder\`; returns its offset.`],
    [
      { name: 'builder', type: 'FrameBuilder' },
      { name: table.fields.length === 0 ? '_value' : 'value', type: table.name },
    ],
    'number',
    (w) => {
      const slots: Slot[] = [];
      for (const field of table.fields) writeChild(w, field, slots);
      w.line(`builder.startObject(${table.slotCount});`);
      slots.sort((a, b) => b.size - a.size || b.id - a.id);
      for (const slot of slots) w.line(slot.add);
      w.line('return builder.endObject();');
    },
  );
}

function writeChild(w: BodyWriter, field: FieldModel, slots: Slot[]): void {
  const v = `value.${field.tsName}`;
  const local = `${field.tsName}Offset`;
  const type = field.type;
  const guard = (expr: string): string =>
    isOptional(field) ? `${v} === undefined ? 0 : ${expr}` : expr;
  switch (type.kind) {
    case 'scalar': {
      const given = isLaterScalar(field) ? `(${v} ?? ${defaultLiteral(field)})` : v;
      slots.push({ id: field.id, size: scalarSize(type.scalar), add: scalarAdd(field, given) });
      return;
    }
    case 'string':
      w.line(`const ${local} = ${guard(`builder.createString(${v})`)};`);
      break;
    case 'bytes':
      w.line(`const ${local} = ${guard(`builder.createByteVector(${v})`)};`);
      break;
    case 'table':
      w.line(`const ${local} = ${guard(`write${type.table}(builder, ${v})`)};`);
      break;
    case 'vector':
      if (type.element.kind === 'string')
        w.line(`const ${local} = ${guard(`writeStringVector(builder, ${v})`)};`);
      else
        w.line(
          `const ${local} = ${guard(`writeTableVector(builder, ${v}, write${type.element.table})`)};`,
        );
      break;
    case 'union': {
      w.line(`const ${local} = ${guard(`write${type.union}(builder, ${v})`)};`);
      const tag = isOptional(field)
        ? `${v} === undefined ? 0 : ${type.union}Tag[${v}.type]`
        : `${type.union}Tag[${v}.type]`;
      const tagId = ((field.tagSlot ?? 0) - 4) / 2;
      slots.push({ id: tagId, size: 1, add: `builder.addFieldInt8(${tagId}, ${tag}, 0);` });
      break;
    }
  }
  slots.push({
    id: field.id,
    size: inlineSize(type),
    add: `builder.addFieldOffset(${field.id}, ${local}, 0);`,
  });
}

function scalarAdd(field: FieldModel, v: string): string {
  if (field.type.kind !== 'scalar') throw new Error('not a scalar');
  const d = defaultLiteral(field);
  switch (field.type.scalar) {
    case 'bool':
      return `builder.addFieldInt8(${field.id}, ${v} ? 1 : 0, ${d === 'true' ? 1 : 0});`;
    case 'int8':
    case 'uint8':
      return `builder.addFieldInt8(${field.id}, ${v}, ${d});`;
    case 'int16':
    case 'uint16':
      return `builder.addFieldInt16(${field.id}, ${v}, ${d});`;
    case 'int32':
    case 'uint32':
      return `builder.addFieldInt32(${field.id}, ${v}, ${d});`;
    case 'int64':
    case 'uint64':
      return `builder.addFieldInt64(${field.id}, ${v}, ${d});`;
    case 'float32':
      return `builder.addFieldFloat32(${field.id}, ${v}, ${d});`;
    case 'float64':
      return `builder.addFieldFloat64(${field.id}, ${v}, ${d});`;
  }
}
