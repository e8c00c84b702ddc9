// Which protocol version introduced each request (spec/versioning.md#schema-evolution-rules,
// rule 5): a peer never sends a union member newer than the session's version, and a server
// refuses one with `Malformed`. The client checks before sending, so an app talking to an
// older server gets a clear error instead of a refusal it cannot explain.
import { ErrorCode, IpcError } from '../errors.ts';
import type { RequestBody } from '../gen/types.ts';

/** The protocol version each request body first appeared in (absent = version 1). */
const INTRODUCED: Readonly<Partial<Record<RequestBody['type'], number>>> = {
  Count: 2,
  DeleteRange: 2,
  Backup: 2,
};

/** The protocol version that introduced request body `type`. */
export function requestVersion(type: RequestBody['type']): number {
  return INTRODUCED[type] ?? 1;
}

/**
 * Why a request needing protocol version `needed` cannot be sent (or served) in a session of
 * `version`, or undefined when it can. `what` names the operation in the message.
 */
export function versionRefusal(
  what: string,
  needed: number,
  version: number,
  code: ErrorCode = ErrorCode.VersionMismatch,
): IpcError | undefined {
  if (version >= needed) return undefined;
  return new IpcError(
    code,
    `${what} needs protocol version ${needed}; this session speaks version ${version}`,
  );
}
