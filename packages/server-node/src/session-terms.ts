// The terms a session is served on: the answer to its Hello (spec/messages.md#handshake) and
// what a session in an operator slot may ask (spec/transport.md#operator-slots).
import { timingSafeEqual } from 'node:crypto';
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import type { Hello, ResponseBody } from '@pluresdb-ipc/protocol/messages';
import type { ServerCore } from './server-core.ts';

/** The protocol versions this server speaks. */
export const SERVER_PROTOCOL = { min: 1, max: 2 } as const;
/**
 * What a session in an operator slot may ask (spec/transport.md#operator-slots): enough to
 * inspect a full server, nothing that writes or stays (no subscriptions).
 */
const OPERATOR_REQUESTS: ReadonlySet<string> = new Set(['Ping', 'Stats', 'Get', 'List', 'Count']);

/** The answer to a Hello: HelloOk's body, or the error that refuses the session. */
export function helloAnswer(core: ServerCore, hello: Hello): ResponseBody | IpcError {
  const version = Math.min(hello.protocolVersion, SERVER_PROTOCOL.max);
  const refusal = helloRefusal(core, version, hello);
  if (refusal) return refusal;
  const { options, layout, identity } = core;
  return {
    type: 'HelloOk',
    value: {
      protocolVersion: version,
      serverVersion: core.version,
      serverPid: identity.pid,
      serverProcessStart: identity.start,
      maxFrameBytes: BigInt(options.maxFrameBytes),
      maxValueBytes: BigInt(options.maxValueBytes),
      ringBytes: layout.ringBytes,
    },
  };
}

/** Why a Hello is refused (spec/messages.md#handshake), or undefined when it is accepted. */
function helloRefusal(core: ServerCore, version: number, hello: Hello): IpcError | undefined {
  if (version < Math.max(hello.minProtocolVersion, SERVER_PROTOCOL.min)) {
    return new IpcError(
      ErrorCode.VersionMismatch,
      `server speaks protocol versions ${SERVER_PROTOCOL.min} to ${SERVER_PROTOCOL.max}`,
    );
  }
  const secret = core.options.secret;
  const given = hello.credentials;
  if (
    secret !== undefined &&
    (given === undefined || given.length !== secret.length || !timingSafeEqual(given, secret))
  ) {
    return new IpcError(
      ErrorCode.Unauthenticated,
      'this server requires credentials, and these are missing or wrong',
    );
  }
  if (core.stopping) return new IpcError(ErrorCode.Unavailable, 'the server is stopping');
  return undefined;
}

/** Why a request of `type` is refused in an operator slot, or undefined when it is served. */
export function operatorRefusal(type: string): IpcError | undefined {
  if (OPERATOR_REQUESTS.has(type)) return undefined;
  return new IpcError(
    ErrorCode.PermissionDenied,
    `${type} is not served in the operator slot (only ping, stats, get, list and count); every other slot is taken`,
  );
}
