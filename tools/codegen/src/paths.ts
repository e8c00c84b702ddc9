import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** The schema every message is defined in. */
export const schemaPath = fileURLToPath(
  new URL('../../../schema/pluresdb_ipc.fbs', import.meta.url),
);
/** Where the generated TypeScript is written. */
export const outputDir = fileURLToPath(
  new URL('../../../packages/protocol/src/gen/', import.meta.url),
);
