import type { FlatcJson } from '@pluresdb-ipc/protocol/messages';
import { isInteger, parse } from 'lossless-json';

/** Parses JSON keeping integers exact: every integer becomes a `bigint`, other numbers `number`. */
export function parseBigintJson(text: string): FlatcJson {
  return parse(text, null, (digits) =>
    isInteger(digits) ? BigInt(digits) : Number(digits),
  ) as FlatcJson;
}

/**
 * Serialises JSON whose integers may be `bigint`: objects indented by two spaces, arrays of
 * plain values (byte vectors) on one line so a 1 MiB value stays readable in a diff.
 */
export function stringifyBigintJson(value: FlatcJson): string {
  return `${format(value, '')}\n`;
}

function format(value: FlatcJson, indent: string): string {
  if (value === null || typeof value !== 'object') return scalar(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.every((item) => item === null || typeof item !== 'object')) {
      return `[${value.map(scalar).join(', ')}]`;
    }
    return `[\n${value.map((item) => inner + format(item, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).map(
    ([key, item]) => `${inner}${JSON.stringify(key)}: ${format(item, inner)}`,
  );
  return entries.length === 0 ? '{}' : `{\n${entries.join(',\n')}\n${indent}}`;
}

function scalar(value: FlatcJson): string {
  return typeof value === 'bigint' ? value.toString() : JSON.stringify(value);
}
