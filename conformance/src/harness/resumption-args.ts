// `subscribe`'s resumption arguments (driver-protocol.md#operations): `since`, a decimal seq,
// and `resume`, passed to the client only when present.
import { CommandError } from './command-args.ts';
import type { Command } from './driver-protocol.ts';

/** `since` and `resume` of a `subscribe` command, as the client's subscribe options. */
export function resumptionArgs(command: Command): { since?: bigint; resume?: boolean } {
  const since = command.since;
  const resume = command.resume;
  if (since !== undefined && (typeof since !== 'string' || !/^(0|[1-9]\d{0,19})$/.test(since)))
    throw new CommandError(`${command.op}: "since" must be a decimal seq string`);
  if (resume !== undefined && typeof resume !== 'boolean')
    throw new CommandError(`${command.op}: "resume" must be a boolean`);
  return {
    ...(since === undefined ? {} : { since: BigInt(since) }),
    ...(resume === undefined ? {} : { resume }),
  };
}
