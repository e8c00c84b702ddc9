// The `vectors` operation: the driver's runtime decodes and encodes every golden vector with
// the protocol codec the client ships, so a runtime whose codec misbehaves (a different
// TextDecoder, BigInt or DataView quirk) fails here rather than in a confusing session.
import {
  decodeFrame,
  encodeFrame,
  type FlatcJson,
  type Frame,
  FrameBuilder,
  fromFlatcJson,
  toFlatcJson,
} from '@pluresdb-ipc/protocol/messages';
import { parseBigintJson } from '../bigint-json.ts';
import { firstDifference } from '../bytes.ts';
import { readVectorFiles } from '../vector-files.ts';
import type { VectorResultJson } from './driver-protocol.ts';

/** Checks every vector in `dir`: decode the `.bin`, encode the `.json`'s frame. */
export function checkVectors(dir: string): VectorResultJson[] {
  const builder = new FrameBuilder(1024);
  return readVectorFiles(dir).map((vector) => {
    const problems: string[] = [];
    let expected: FlatcJson | undefined;
    try {
      expected = parseBigintJson(vector.json);
    } catch (error) {
      problems.push(`the .json does not parse: ${String(error)}`);
    }
    let decoded = false;
    try {
      const difference = jsonDifference(toFlatcJson(decodeFrame(vector.binary)), expected, '$');
      decoded = difference === undefined;
      if (difference) problems.push(`decoded differs at ${difference}`);
    } catch (error) {
      problems.push(`decode failed: ${String(error)}`);
    }
    let encoded = false;
    try {
      if (expected !== undefined) {
        const bytes = encodeFrame(builder, fromFlatcJson(expected) as Frame);
        const at = firstDifference(bytes, vector.binary);
        encoded = at === -1;
        if (!encoded) problems.push(`encoded bytes differ at byte ${at}`);
      }
    } catch (error) {
      problems.push(`encode failed: ${String(error)}`);
    }
    return {
      name: vector.name,
      decoded,
      encoded,
      ...(problems.length === 0 ? {} : { detail: problems.join('; ') }),
    };
  });
}

/**
 * The path of the first difference between two flatc JSON values, or undefined when equal.
 * Integers compare by value whether they are `number` or `bigint` (the bigint parser makes
 * every integer a bigint; our encoder's JSON form keeps 32-bit ones as numbers).
 */
function jsonDifference(
  a: FlatcJson | undefined,
  b: FlatcJson | undefined,
  path: string,
): string | undefined {
  if (isNumeric(a) && isNumeric(b)) return sameNumber(a, b) ? undefined : path;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object')
    return a === b ? undefined : path;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return path;
    for (let i = 0; i < a.length; i++) {
      const difference = jsonDifference(a[i], b[i], `${path}[${i}]`);
      if (difference) return difference;
    }
    return undefined;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const difference = jsonDifference(a[key], b[key], `${path}.${key}`);
    if (difference) return difference;
  }
  return undefined;
}

function isNumeric(value: FlatcJson | undefined): value is number | bigint {
  return typeof value === 'number' || typeof value === 'bigint';
}

function sameNumber(a: number | bigint, b: number | bigint): boolean {
  if (typeof a === 'number' && !Number.isInteger(a)) return a === Number(b);
  if (typeof b === 'number' && !Number.isInteger(b)) return b === Number(a);
  return BigInt(a) === BigInt(b);
}
