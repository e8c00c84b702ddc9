// The driver protocol's JSON Schema (driver-protocol.schema.json), applied by the runner to
// every line it sends and receives: a driver (ours or a third party's) whose answers drift from
// the written protocol fails with the field that is wrong, not with a puzzling assertion later.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { driverSchemaPath } from '../paths.ts';
import type { OpName } from './driver-protocol.ts';

/** The schema's `$id`: definitions are `${DRIVER_SCHEMA_ID}#/$defs/<name>`. */
export const DRIVER_SCHEMA_ID = 'urn:pluresdb-ipc:conformance:driver-protocol:1';

/** The schema file's parsed JSON. */
export function driverSchemaJson(): { $defs: Record<string, unknown> } {
  return JSON.parse(readFileSync(driverSchemaPath, 'utf8')) as { $defs: Record<string, unknown> };
}

/** Checks lines against the schema's definitions; each is compiled once, on first use. */
export class DriverSchema {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(schema: object = driverSchemaJson()) {
    // strict: a schema keyword Ajv does not know, or a type it cannot check, is an error in
    // the schema itself rather than a rule that silently checks nothing.
    this.ajv = new Ajv2020({ strict: true, allErrors: false, verbose: true });
    this.ajv.addSchema(schema);
  }

  /** The names of the schema's definitions. */
  definitions(): string[] {
    const schema = this.ajv.getSchema(DRIVER_SCHEMA_ID)?.schema as { $defs?: object } | undefined;
    return Object.keys(schema?.$defs ?? {});
  }

  /**
   * Why `value` breaks definition `name`, or undefined when it matches. Paths in the answer
   * start with `at`, where the value sits in its line.
   */
  problem(name: string, value: unknown, at = ''): string | undefined {
    const validate = this.validator(name);
    if (validate(value)) return undefined;
    return describeErrors(validate.errors ?? [], at);
  }

  /** Why a command line breaks `command.<op>` (or `commandLine` for an op it does not know). */
  commandProblem(command: { readonly op: string }): string | undefined {
    return this.problem('commandLine', command);
  }

  /**
   * Why an answer line to a command of `op` breaks the protocol: the line's shape
   * (`answerLine`), then, for a success, its value (`value.<op>`).
   */
  answerProblem(op: OpName | undefined, line: unknown): string | undefined {
    const shape = this.problem('answerLine', line);
    if (shape !== undefined || op === undefined) return shape;
    const answer = line as { ok: boolean; value?: unknown };
    if (!answer.ok) return undefined;
    return this.problem(`value.${op}`, answer.value, '/value');
  }

  /** Why a pushed line breaks `eventLine`. */
  eventProblem(line: unknown): string | undefined {
    return this.problem('eventLine', line);
  }

  private validator(name: string): ValidateFunction {
    let validate = this.compiled.get(name);
    if (!validate) {
      validate = this.ajv.getSchema(`${DRIVER_SCHEMA_ID}#/$defs/${name}`);
      if (!validate) throw new Error(`driver schema: no definition "${name}"`);
      this.compiled.set(name, validate);
    }
    return validate;
  }
}

let shared: DriverSchema | undefined;

/** The runner's one instance (compiling the schema takes a few milliseconds). */
export function driverSchema(): DriverSchema {
  shared ??= new DriverSchema();
  return shared;
}

/** Ajv's errors as one line: `/value/clock/0: must have required property 'counter'`. */
function describeErrors(errors: readonly ErrorObject[], at: string): string {
  // With oneOf, Ajv reports every branch's failure and then the oneOf itself; the branch
  // errors are the useful part, the closing oneOf line only repeats that none matched.
  const useful = errors.filter((error) => error.keyword !== 'oneOf' && error.keyword !== 'if');
  return (useful.length > 0 ? useful : errors)
    .slice(0, 4)
    .map((error) => {
      const path = `${at}${error.instancePath}` || '/';
      return `${path}: ${error.message ?? error.keyword}${details(error)}`;
    })
    .join('; ');
}

/** The offending property, or the value found, so the message shows what the driver sent. */
function details(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties') {
    const { additionalProperty, unevaluatedProperty } = error.params as {
      additionalProperty?: string;
      unevaluatedProperty?: string;
    };
    return `: "${additionalProperty ?? unevaluatedProperty}"`;
  }
  if (error.keyword === 'required') return '';
  const found = JSON.stringify(error.data);
  return `, got ${found === undefined ? 'nothing' : found.length > 80 ? `${found.slice(0, 80)}...` : found}`;
}
