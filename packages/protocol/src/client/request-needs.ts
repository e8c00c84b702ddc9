// Requests that need protocol version 2 because of the fields they set, not their type
// (spec/versioning.md): a version 1 server would ignore `List.start` or `Put.if_absent` and
// answer a different question (a whole prefix, an unconditional write), so the client refuses
// them before sending in a version 1 session, as it refuses a v2 request type.
import type { IpcError } from '../errors.ts';
import type { RequestBody } from '../gen/types.ts';
import { requestVersion, versionRefusal } from '../versions/request-versions.ts';

/** Why `body` cannot be sent in a session of protocol `version`, or undefined when it can. */
export function requestRefusal(body: RequestBody, version: number): IpcError | undefined {
  if (version >= 2) return undefined;
  const typeNeeds = requestVersion(body.type);
  if (typeNeeds > version) return versionRefusal(body.type, typeNeeds, version);
  const what = fieldsNeedingV2(body);
  return what === undefined ? undefined : versionRefusal(what, 2, version);
}

/** What in `body` needs protocol version 2 (ranges, conditions), named for the message. */
function fieldsNeedingV2(body: RequestBody): string | undefined {
  switch (body.type) {
    case 'List': {
      const { start, end, reverse } = body.value;
      const ranged = (start ?? '') !== '' || (end ?? '') !== '' || reverse === true;
      return ranged ? 'list with start, end or reverse' : undefined;
    }
    case 'Put':
    case 'Patch':
    case 'Delete':
      return conditional(body.value) ? `a conditional ${body.type.toLowerCase()}` : undefined;
    case 'Batch':
      return body.value.ops.some(conditional) ? 'a batch with conditions' : undefined;
    default:
      return undefined;
  }
}

function conditional(fields: {
  readonly ifAbsent?: boolean | undefined;
  readonly ifHlc?: bigint | undefined;
}): boolean {
  return fields.ifAbsent === true || (fields.ifHlc !== undefined && fields.ifHlc !== 0n);
}
