// The spec must describe every message and error code of the schema (issue #2, "the spec
// matches the schema"): a table, union member or error code missing from spec/ fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaDescriptor } from '@pluresdb-ipc/protocol/messages';
import { describe, expect, it } from 'vitest';

const specDir = fileURLToPath(new URL('../../spec/', import.meta.url));
const spec = readdirSync(specDir)
  .filter((file) => file.endsWith('.md'))
  .map((file) => readFileSync(join(specDir, file), 'utf8'))
  .join('\n');
const mentioned = (name: string): boolean => spec.includes(`\`${name}\``);

describe('spec/ matches the schema', () => {
  it.each(Object.keys(schemaDescriptor.tables))('describes table `%s`', (table) => {
    expect(mentioned(table)).toBe(true);
    for (const field of schemaDescriptor.tables[table]?.fields ?? []) {
      expect(mentioned(field.name), `${table}.${field.name}`).toBe(true);
    }
  });

  it.each(Object.keys(schemaDescriptor.enums))('lists every value of enum `%s`', (name) => {
    for (const value of Object.keys(schemaDescriptor.enums[name]?.values ?? {})) {
      expect(mentioned(value), `${name}.${value}`).toBe(true);
    }
  });

  it('names the file identifier and the root table', () => {
    expect(spec).toContain(schemaDescriptor.fileIdentifier);
    expect(mentioned(schemaDescriptor.rootTable)).toBe(true);
  });
});
