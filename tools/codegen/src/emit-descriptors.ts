import type { SchemaModel } from './model.ts';
import type { GeneratedFile } from './printer.ts';

/**
 * Emits the schema as data (`schemaDescriptor`), for code that works on any message
 * generically: the flatc-JSON converter, tests, and conformance tools.
 */
export function emitDescriptors(file: GeneratedFile, model: SchemaModel): void {
  const tables = Object.fromEntries(
    model.tables.map((t) => [
      t.name,
      {
        name: t.name,
        fields: t.fields.map((f) => ({
          name: f.name,
          tsName: f.tsName,
          type: f.type,
          required: f.required,
          defaultValue: f.defaultValue,
          ...(f.since > 1 ? { since: f.since } : {}),
        })),
      },
    ]),
  );
  const enums = Object.fromEntries(
    model.enums.map((e) => [
      e.name,
      { name: e.name, values: Object.fromEntries(e.values.map((v) => [v.name, v.value])) },
    ]),
  );
  const unions = Object.fromEntries(
    model.unions.map((u) => [u.name, { name: u.name, members: u.members }]),
  );
  const descriptor = {
    fileIdentifier: model.fileIdentifier,
    rootTable: model.rootTable,
    enums,
    unions,
    tables,
  };
  file.constant(
    'schemaDescriptor',
    ['The schema as data: every table, field, enum and union, in field-id order.'],
    JSON.stringify(descriptor, null, 2),
    'SchemaDescriptor',
  );
}
