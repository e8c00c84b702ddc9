// Reading `--secret-file F` (serve and the client commands).
import { readFileSync } from 'node:fs';
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';

/**
 * The bytes of the secret file at `path`. One that cannot be read fails with
 * `InvalidArgument` naming the file and the OS's reason (exit status 1, one line, no stack).
 */
export function readSecretFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new IpcError(
      ErrorCode.InvalidArgument,
      `--secret-file ${path} cannot be read (${reason})`,
      {
        cause: error,
      },
    );
  }
}
