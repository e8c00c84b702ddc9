// The committed fuzzing corpus (test/fuzz-corpus): the golden vectors plus every crasher found.
import { readdirSync, readFileSync } from 'node:fs';

/** Where the corpus lives; new crashers are written here too. */
export const corpusDir = new URL('../fuzz-corpus/', import.meta.url);

/** Every corpus input, in name order. */
export function loadCorpus(): Uint8Array[] {
  return readdirSync(corpusDir)
    .filter((name) => name.endsWith('.bin'))
    .sort()
    .map((name) => new Uint8Array(readFileSync(new URL(name, corpusDir))));
}
