import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vectorsDir } from './paths.ts';

/** A golden vector as committed: flatc's JSON and the binary flatc made from it. */
export interface VectorFile {
  readonly name: string;
  readonly json: string;
  readonly binary: Uint8Array;
}

/** Reads every vector in `conformance/vectors/`, sorted by name. */
export function readVectorFiles(dir: string = vectorsDir): VectorFile[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => {
      const name = file.slice(0, -'.json'.length);
      return {
        name,
        json: readFileSync(join(dir, file), 'utf8'),
        binary: new Uint8Array(readFileSync(join(dir, `${name}.bin`))),
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
