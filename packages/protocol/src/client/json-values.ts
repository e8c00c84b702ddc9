// Values cross the wire as UTF-8 JSON bytes (spec/messages.md#values); the client takes and
// returns plain objects, or raw bytes for callers that already hold JSON.
import { IpcError } from '../errors.ts';
import { ErrorCode } from '../gen/types.ts';
import { decodeUtf8, encodeUtf8 } from '../wire/utf8.ts';

/** A JSON value. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };
/** A JSON object: what a record holds. */
export type JsonObject = { [key: string]: JsonValue };

/** A record's data given to a write: an object, or its UTF-8 JSON bytes. */
export type DocumentInput = JsonObject | Uint8Array;

/** UTF-8 JSON bytes of a document (bytes pass through; the server checks them). */
export function documentBytes(value: DocumentInput): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new IpcError(ErrorCode.InvalidArgument, 'a document must be a JSON object');
  }
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    // Nesting deeper than the stack (a RangeError), which the server would refuse anyway
    // (spec/crdt.md#limits: 512 levels); or a cycle or a BigInt.
    if (cause instanceof RangeError) {
      throw new IpcError(
        ErrorCode.TooLarge,
        'the document is nested too deeply to encode (the server takes 512 levels)',
        { cause },
      );
    }
    throw new IpcError(
      ErrorCode.InvalidArgument,
      `the document cannot be encoded as JSON: ${(cause as Error).message}`,
      { cause },
    );
  }
  // A copy: encodeUtf8 returns a scratch view that the next encode (the key's) overwrites.
  return encodeUtf8(text).slice();
}

/** Parses a document the server sent. */
export function parseDocument(bytes: Uint8Array): JsonObject {
  try {
    return JSON.parse(decodeUtf8(bytes, 0, bytes.length)) as JsonObject;
  } catch (cause) {
    throw new IpcError(ErrorCode.Malformed, 'the server sent a value that is not JSON', { cause });
  }
}
