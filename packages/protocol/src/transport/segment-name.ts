// Channel names to shm_open names (spec/transport.md#naming-and-permissions). A channel name
// can be any text; the segment name hashes it so that it fits the 31-character limit some
// platforms impose, while the uid keeps users apart. The full name is stored in the header
// and compared on open, so even a hash collision cannot connect a client to the wrong channel.
import { IpcError } from '../errors.ts';
import { ErrorCode } from '../gen/types.ts';
import { encodeUtf8 } from '../wire/utf8.ts';
import { MAX_CHANNEL_NAME_BYTES } from './control-layout.ts';

/** The channel a server and its clients use when none is given. */
export const DEFAULT_CHANNEL = 'default';

const fnvOffset = 0xcbf29ce484222325n;
const fnvPrime = 0x100000001b3n;
const mask64 = (1n << 64n) - 1n;

/** 64-bit FNV-1a of bytes: simple to reimplement in any language. */
export function fnv1a64(bytes: Uint8Array): bigint {
  let hash = fnvOffset;
  for (const byte of bytes) hash = ((hash ^ BigInt(byte)) * fnvPrime) & mask64;
  return hash;
}

/** Checks a channel name: 1 to 200 bytes of UTF-8, no control characters. */
export function checkChannelName(channel: string): void {
  const bytes = encodeUtf8(channel);
  if (
    bytes.length < 1 ||
    bytes.length > MAX_CHANNEL_NAME_BYTES ||
    [...channel].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f')
  ) {
    throw new IpcError(
      ErrorCode.InvalidArgument,
      `channel name must be 1 to ${MAX_CHANNEL_NAME_BYTES} bytes without control characters`,
    );
  }
}

/**
 * The shm_open name of a channel's segment: `/pdbi-<uid hex>-<FNV-1a 64 of the name, 16 hex>`,
 * at most 31 characters.
 */
export function segmentName(uid: number, channel: string): string {
  checkChannelName(channel);
  const hash = fnv1a64(encodeUtf8(channel)).toString(16).padStart(16, '0');
  return `/pdbi-${(uid >>> 0).toString(16)}-${hash}`;
}
