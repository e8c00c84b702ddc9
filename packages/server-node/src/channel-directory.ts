// The folder of a channel under the data root (docs/operations.md#what-lives-where): one path
// component, a direct child of the root, for every channel name, and a different one for every
// two names. Percent-encoding (encodeURIComponent) escapes `/`, `\` and everything but ASCII
// letters, digits and `-_.!~*'()`; what it leaves that a file system reads otherwise is `.`
// and `..` (the root itself and its parent), and a name longer than a path component may be.
import { createHash } from 'node:crypto';
import { checkChannelName } from '@pluresdb-ipc/protocol/transport';

/** Longest file name Linux file systems take, in bytes (NAME_MAX). */
export const NAME_MAX = 255;

/** Bytes of the encoded name kept in front of the hash when the whole does not fit. */
const LONG_NAME_PREFIX = 200;

/**
 * The folder name of `channel` under the data root: the channel name percent-encoded as
 * `encodeURIComponent` does (so existing channels keep their folders: `my.app`, `a b` as
 * `a%20b`), except that `.` and `..` become `%2E` and `%2E%2E`, and an encoding over 255 bytes becomes
 * its first (at most) 200 bytes, then `%~` and 32 hex digits of the name's SHA-256. Neither
 * form can come out of the encoding itself (it never leaves a lone dot or dot pair, and writes
 * `%` only before two upper-case hex digits), so no two names share a folder. Throws
 * `InvalidArgument` for a name that is not a valid channel name (empty, too long, control
 * characters, a lone surrogate).
 */
export function channelDirectoryName(channel: string): string {
  checkChannelName(channel);
  if (channel === '.' || channel === '..') return channel.replaceAll('.', '%2E');
  const encoded = encodeURIComponent(channel);
  if (encoded.length <= NAME_MAX) return encoded; // ASCII: characters are bytes
  let cut = LONG_NAME_PREFIX;
  // Never split a %XX escape: back up to its `%`.
  const lastPercent = encoded.lastIndexOf('%', cut - 1);
  if (lastPercent > cut - 3) cut = lastPercent;
  const hash = createHash('sha256').update(channel, 'utf8').digest('hex').slice(0, 32);
  return `${encoded.slice(0, cut)}%~${hash}`;
}
