import type { FrameBuilder } from './frame-builder.ts';

/** Writes a vector of strings, created in list order as flatc does. */
export function writeStringVector(builder: FrameBuilder, list: readonly string[]): number {
  const offsets = list.map((text) => builder.createString(text));
  return writeOffsets(builder, offsets);
}

/**
 * Writes a vector of tables: each table first, in list order (as flatc does when it parses
 * JSON), then the vector of their offsets.
 */
export function writeTableVector<T>(
  builder: FrameBuilder,
  list: readonly T[],
  encodeTable: (builder: FrameBuilder, value: T) => number,
): number {
  const offsets = list.map((value) => encodeTable(builder, value));
  return writeOffsets(builder, offsets);
}

function writeOffsets(builder: FrameBuilder, offsets: readonly number[]): number {
  builder.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) builder.addOffset(offsets[i] as number);
  return builder.endVector();
}
