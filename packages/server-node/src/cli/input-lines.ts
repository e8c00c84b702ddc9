// Reading a stream a line at a time with bounded memory: the chunks of one line at most are
// held (and a line longer than the limit is skipped, reported, not held).

/** One line of the input (without its line break), or why it could not be read. */
export interface InputLine {
  /** 1-based line number. */
  readonly number: number;
  /** The line's text; undefined when `error` says why it has none. */
  readonly text: string | undefined;
  readonly error?: string;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The lines of `input` (chunks as a Readable's async iterator gives them), one at a time: the
 * reader pulls the next chunk only when it asks for the next line. A line longer than
 * `maxLineBytes` or not valid UTF-8 comes with an `error` instead of its text.
 */
export async function* inputLines(
  input: AsyncIterable<Uint8Array | string>,
  maxLineBytes: number,
): AsyncGenerator<InputLine> {
  let parts: Uint8Array[] = [];
  let size = 0;
  let tooLong = false;
  let number = 0;
  const finish = (): InputLine => {
    number++;
    const line = take(parts, size);
    parts = [];
    size = 0;
    if (tooLong) {
      tooLong = false;
      return { number, text: undefined, error: `longer than ${maxLineBytes} bytes` };
    }
    try {
      const end = line.length > 0 && line[line.length - 1] === 13 ? line.length - 1 : line.length;
      return { number, text: decoder.decode(line.subarray(0, end)) };
    } catch {
      return { number, text: undefined, error: 'not valid UTF-8' };
    }
  };
  const add = (piece: Uint8Array): void => {
    if (tooLong) return;
    if (size + piece.length > maxLineBytes) {
      tooLong = true;
      parts = [];
      size = 0;
      return;
    }
    parts.push(piece);
    size += piece.length;
  };
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    let start = 0;
    for (;;) {
      const newline = bytes.indexOf(10, start);
      if (newline < 0) break;
      add(bytes.subarray(start, newline));
      yield finish();
      start = newline + 1;
    }
    if (start < bytes.length) add(bytes.slice(start));
  }
  if (size > 0 || tooLong) yield finish();
}

function take(parts: Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
