// How a failure becomes an answer's `error`: the client's own errors by their code's name,
// anything else under a code that no scenario expects, so it can never pass by accident.
import { IpcError, oldestSeqOf } from '@pluresdb-ipc/protocol';
import { errorCodeName } from '@pluresdb-ipc/protocol/messages';
import { CommandError } from './command-args.ts';
import { DRIVER_ERROR, FOREIGN_ERROR, type WireError } from './driver-protocol.ts';

/** The `{code, message}` of anything thrown while running a command. */
export function wireError(error: unknown): WireError {
  if (error instanceof CommandError) return { code: DRIVER_ERROR, message: error.message };
  if (IpcError.is(error)) {
    const oldestSeq = oldestSeqOf(error);
    return {
      code: errorCodeName(error.code),
      message: error.message,
      ...(oldestSeq === undefined ? {} : { oldestSeq: oldestSeq.toString() }),
    };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { code: FOREIGN_ERROR, message };
}
