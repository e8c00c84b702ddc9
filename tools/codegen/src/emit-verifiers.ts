import {
  type EnumModel,
  type FieldModel,
  inlineSize,
  type SchemaModel,
  scalarSize,
  type TableModel,
} from './model.ts';
import type { BodyWriter, GeneratedFile } from './printer.ts';

/**
 * Emits one `verify<Table>(verifier, position, depth)` per table, checking every field the
 * readers will touch (spec/messages.md#verification), and `verify<Root>Bytes` for frames.
 */
export function emitVerifiers(file: GeneratedFile, model: SchemaModel): void {
  const enums = new Map(model.enums.map((e) => [e.name, e]));
  for (const union of model.unions) {
    file.function(
      `verify${union.name}`,
      [`Verifies the {@link ${union.name}} member with wire tag \`tag\` at \`position\`.`],
      [
        { name: 'verifier', type: 'Verifier' },
        { name: 'tag', type: 'number' },
        { name: 'position', type: 'number' },
        { name: 'depth', type: 'number' },
        { name: 'where', type: 'string' },
      ],
      'void',
      (w) => {
        w.block('switch (tag)', () => {
          for (const m of union.members)
            w.line(`case ${m.tag}: return verify${m.table}(verifier, position, depth);`);
          w.line(
            `default: return verifier.fail(\`unknown ${union.name} type \${tag}\`, where, position);`,
          );
        });
      },
    );
  }
  for (const table of model.tables) emitTableVerifier(file, table, enums);

  const root = model.rootTable;
  // Verification is synchronous and never re-entered, so one instance serves every frame.
  file.constant(
    'sharedVerifier',
    ['The verifier instance reused for every frame (verification allocates nothing).'],
    'new Verifier()',
    undefined,
    false,
  );
  file.function(
    `verify${root}Bytes`,
    [
      `Checks that \`bytes\` hold a valid {@link ${root}}: every offset, vtable, string and vector`,
      'in bounds, strings valid UTF-8, enum values and union tags known, required fields present,',
      'within `limits`. Runs in time linear in the size of `bytes`.',
      '@throws IpcError with code `Malformed` on the first violation found.',
    ],
    [
      { name: 'bytes', type: 'Uint8Array' },
      { name: 'limits', type: 'VerifyLimits', initializer: 'defaultVerifyLimits' },
    ],
    'void',
    (w) => {
      w.line('const verifier = sharedVerifier.reset(bytes, limits);');
      w.line(`verify${root}(verifier, verifier.root('${model.fileIdentifier}'), 0);`);
    },
  );
}

function emitTableVerifier(
  file: GeneratedFile,
  table: TableModel,
  enums: ReadonlyMap<string, EnumModel>,
): void {
  file.function(
    `verify${table.name}`,
    [`Verifies the {@link ${table.name}} table at \`position\`, nested \`depth\` tables deep.`],
    [
      { name: 'verifier', type: 'Verifier' },
      { name: 'position', type: 'number' },
      { name: 'depth', type: 'number' },
    ],
    'void',
    (w) => {
      if (table.fields.length === 0) {
        w.line(`verifier.table(position, depth, '${table.name}');`);
        return;
      }
      w.line(`const vtable = verifier.table(position, depth, '${table.name}');`);
      // Field lookups are inlined here (fieldPosition is tiny) rather than made through a
      // Verifier method per field: the method calls were most of the verification time.
      w.line('const bytes = verifier.bytes;');
      w.line('const vtableSize = readU16(bytes, vtable);');
      w.line('const tableSize = readU16(bytes, vtable + 2);');
      for (const field of table.fields) verifyField(w, table, field, enums);
    },
  );
}

function verifyField(
  w: BodyWriter,
  table: TableModel,
  field: FieldModel,
  enums: ReadonlyMap<string, EnumModel>,
): void {
  const where = `'${table.name}.${field.name}'`;
  const at = `${field.tsName}At`;
  const type = field.type;
  w.line(fieldLookup(at, field.slot, inlineSize(type), where));
  if (field.required) w.line(`verifier.present(${at}, ${where}, position);`);
  const ifPresent = (body: string): void => {
    w.line(field.required ? body : `if (${at} !== 0) ${body}`);
  };
  switch (type.kind) {
    case 'scalar': {
      if (type.scalar === 'bool') w.line(`verifier.bool(${at}, ${where});`);
      const e = type.enumName === undefined ? undefined : enums.get(type.enumName);
      if (e) {
        const signed = e.scalar.startsWith('int');
        const read = `verifier.${signed ? 'signedTag' : 'tag'}(${at}, ${scalarSize(e.scalar)})`;
        w.line(`if (!is${e.name}(${read})) verifier.badEnum(${read}, ${where}, ${at});`);
      }
      return;
    }
    case 'string':
      ifPresent(`verifier.string(${at}, ${where});`);
      return;
    case 'bytes':
      ifPresent(`verifier.vector(${at}, 1, ${where});`);
      return;
    case 'table':
      ifPresent(`verify${type.table}(verifier, verifier.target(${at}, ${where}), depth + 1);`);
      return;
    case 'vector': {
      const element =
        type.element.kind === 'string'
          ? `verifier.string(start + 4 * i, ${where});`
          : `verify${type.element.table}(verifier, verifier.target(start + 4 * i, ${where}), depth + 1);`;
      w.block(field.required ? '' : `if (${at} !== 0)`, () => {
        w.line(`const start = verifier.vector(${at}, 4, ${where});`);
        w.line(`for (let i = 0, n = verifier.vectorLength; i < n; i++) ${element}`);
      });
      return;
    }
    case 'union': {
      const tagAt = `${field.tsName}TagAt`;
      w.line(fieldLookup(tagAt, field.tagSlot ?? 0, 1, where));
      w.line(`const ${field.tsName}Tag = verifier.tag(${tagAt}, 1);`);
      w.block(`if (${field.tsName}Tag === 0)`, () => {
        // A required union without a tag fails outright; an optional one may be absent, but
        // then it must not carry a value.
        if (field.required) w.line(`verifier.fail('required union missing', ${where}, position);`);
        else
          w.line(`if (${at} !== 0) verifier.fail('union value without a type', ${where}, ${at});`);
      });
      w.block('else', () => {
        // A required union's value was already checked present above.
        if (!field.required) w.line(`verifier.present(${at}, ${where}, position);`);
        w.line(
          `verify${type.union}(verifier, ${field.tsName}Tag, verifier.target(${at}, ${where}), depth + 1, ${where});`,
        );
      });
      return;
    }
  }
}

/** The lines that find a field's position (0 when absent) and refuse one outside its table. */
function fieldLookup(name: string, slot: number, size: number, where: string): string {
  return [
    `const ${name} = ${slot} < vtableSize ? fieldPosition(bytes, position, vtable + ${slot}, tableSize, ${size}) : 0;`,
    `if (${name} < 0) verifier.badField(${where}, position);`,
  ].join('\n');
}
