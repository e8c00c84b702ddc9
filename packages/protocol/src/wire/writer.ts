import type { Builder } from 'flatbuffers';
import { encodeUtf8 } from './utf8.ts';

/**
 * Writes a string into `builder`, through the ASCII fast path of {@link encodeUtf8}.
 * Produces the same bytes as `builder.createString(text)` (and as flatc).
 */
export function writeString(builder: Builder, text: string): number {
  return builder.createString(encodeUtf8(text));
}

/** Writes a vector of strings, created in list order as flatc does. */
export function writeStringVector(builder: Builder, list: readonly string[]): number {
  const offsets = list.map((text) => writeString(builder, text));
  return writeOffsets(builder, offsets);
}

/**
 * Writes a vector of tables: each table first, in list order (as flatc does when it parses
 * JSON), then the vector of their offsets.
 */
export function writeTableVector<T>(
  builder: Builder,
  list: readonly T[],
  encodeTable: (builder: Builder, value: T) => number,
): number {
  const offsets = list.map((value) => encodeTable(builder, value));
  return writeOffsets(builder, offsets);
}

function writeOffsets(builder: Builder, offsets: readonly number[]): number {
  builder.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) builder.addOffset(offsets[i] as number);
  return builder.endVector();
}
