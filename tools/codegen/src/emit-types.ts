import type { SchemaModel } from './model.ts';
import type { GeneratedFile } from './printer.ts';
import { fieldTsType, isLaterScalar, isOptional, lowerFirst } from './ts-types.ts';

/** Emits enums (as `const` objects), union types and one interface per table. */
export function emitTypes(file: GeneratedFile, model: SchemaModel): void {
  for (const e of model.enums) {
    const members = e.values.map((v) => `${docComment(v.doc)}${v.name}: ${v.value},`).join('\n');
    file.constant(e.name, e.doc, `{\n${members}\n} as const`);
    file.typeAlias(e.name, e.doc, `(typeof ${e.name})[keyof typeof ${e.name}]`);
    const names = e.values.map((v) => `${v.value}: '${v.name}'`).join(', ');
    file.function(
      `${lowerFirst(e.name)}Name`,
      [`The schema name of a {@link ${e.name}} value, or \`${e.name}(n)\` for an unknown one.`],
      [{ name: 'value', type: 'number' }],
      'string',
      (w) => {
        w.line(`const names: { readonly [value: number]: string } = { ${names} };`);
        w.line(`return names[value] ?? \`${e.name}(\${value})\`;`);
      },
    );
    const values = e.values.map((v) => v.value);
    const contiguous = values.every((v, i) => v === i);
    file.function(
      `is${e.name}`,
      [`True when \`value\` is one of the schema's {@link ${e.name}} values.`],
      [{ name: 'value', type: 'number' }],
      `value is ${e.name}`,
      (w) => {
        if (contiguous)
          w.line(`return Number.isInteger(value) && value >= 0 && value < ${values.length};`);
        else w.line(`return [${values.join(', ')}].includes(value);`);
      },
    );
  }

  for (const u of model.unions) {
    const variants = u.members.map(
      (m) => `{ readonly type: '${m.name}'; readonly value: ${m.table} }`,
    );
    file.typeAlias(u.name, u.doc, variants.map((v) => `\n| ${v}`).join(''));
    const tags = u.members.map((m) => `${m.name}: ${m.tag},`).join('\n');
    file.constant(
      `${u.name}Tag`,
      [`The wire tag of each member of {@link ${u.name}}.`],
      `{\n${tags}\n} as const`,
    );
  }

  for (const table of model.tables) {
    file.interface(
      table.name,
      table.doc,
      table.fields.map((field) => {
        const optional = isOptional(field) || isLaterScalar(field);
        return {
          name: field.tsName,
          type: optional ? `${fieldTsType(field.type)} | undefined` : fieldTsType(field.type),
          optional,
          docs: field.doc,
        };
      }),
    );
  }
}

function docComment(doc: readonly string[]): string {
  return doc.length === 0 ? '' : `/** ${doc.join(' ')} */\n`;
}
