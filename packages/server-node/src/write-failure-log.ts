// Failed writes, as the operator sees them. The client of each failed write gets the error,
// but a full or failing disk is the operator's to fix, and without a line in the server's log
// the only sign of it was lmdb-js's bare OS error on stderr. A disk that stays full fails
// every write: one line for the first, then at most one per interval, counting the rest.
import { ErrorCode, type IpcError } from '@pluresdb-ipc/protocol';

/** Logs the store's write failures (`Internal`; a caller's bad input is not logged). */
export class WriteFailureLog {
  private readonly log: (line: string) => void;
  private readonly everyMs: number;
  private lastLoggedAt = Number.NEGATIVE_INFINITY;
  private unlogged = 0;

  /**
   * @param log writes one line to the server's log.
   * @param everyMs the least time between two lines.
   */
  constructor(log: (line: string) => void, everyMs = 10_000) {
    this.log = log;
    this.everyMs = everyMs;
  }

  /** A write failed with `error`; `at` is the time in ms (Date.now()). */
  failed(error: IpcError, at = Date.now()): void {
    if (error.code !== ErrorCode.Internal) return;
    if (at - this.lastLoggedAt < this.everyMs) {
      this.unlogged++;
      return;
    }
    const more =
      this.unlogged > 0 ? ` (${this.unlogged} more write failures since the last such line)` : '';
    this.log(`a write failed: ${error.rawMessage}${more}`);
    this.lastLoggedAt = at;
    this.unlogged = 0;
  }
}
