import { fileURLToPath } from 'node:url';

/** The schema every message is defined in. */
export const schemaPath = fileURLToPath(new URL('../../schema/pluresdb_ipc.fbs', import.meta.url));
/** The golden vectors: `<name>.json` (flatc's JSON) and `<name>.bin` (flatc's binary). */
export const vectorsDir = fileURLToPath(new URL('../vectors/', import.meta.url));
/** The conformance package itself (drivers run from here unless a runtime file says otherwise). */
export const conformanceDir = fileURLToPath(new URL('../', import.meta.url));
/** One capability file per runtime: how to start its driver, what it supports, what fails. */
export const runtimesDir = fileURLToPath(new URL('../runtimes/', import.meta.url));
/** The driver protocol's JSON Schema: every command, answer and event line. */
export const driverSchemaPath = fileURLToPath(
  new URL('../driver-protocol.schema.json', import.meta.url),
);
/** Where the runtimes installed as dev dependencies (bun, deno, tsx) keep their commands. */
export const binDirs = [
  fileURLToPath(new URL('../node_modules/.bin', import.meta.url)),
  fileURLToPath(new URL('../../node_modules/.bin', import.meta.url)),
];
/** The repository's root. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
