import { fileURLToPath } from 'node:url';

/** The schema every message is defined in. */
export const schemaPath = fileURLToPath(new URL('../../schema/pluresdb_ipc.fbs', import.meta.url));
/** The golden vectors: `<name>.json` (flatc's JSON) and `<name>.bin` (flatc's binary). */
export const vectorsDir = fileURLToPath(new URL('../vectors/', import.meta.url));
