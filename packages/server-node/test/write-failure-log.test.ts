// WriteFailureLog: the store's write failures reach the server's log, a disk that stays full
// does not flood it, and a caller's bad input is not logged at all.
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import { describe, expect, it } from 'vitest';
import { WriteFailureLog } from '../src/write-failure-log.ts';

const full = new IpcError(ErrorCode.Internal, 'committing to /data: disk full (0 bytes free)');

describe('WriteFailureLog', () => {
  it('logs the first failure, then one line per interval counting the rest', () => {
    const lines: string[] = [];
    const log = new WriteFailureLog((line) => lines.push(line), 10_000);
    log.failed(full, 1_000);
    for (let n = 0; n < 500; n++) log.failed(full, 1_000 + n);
    expect(lines).toEqual(['a write failed: committing to /data: disk full (0 bytes free)']);
    log.failed(full, 11_000);
    expect(lines[1]).toBe(
      'a write failed: committing to /data: disk full (0 bytes free) (500 more write failures since the last such line)',
    );
    log.failed(full, 21_500);
    expect(lines[2]).toBe('a write failed: committing to /data: disk full (0 bytes free)');
  });

  it('does not log what the caller got wrong', () => {
    const lines: string[] = [];
    const log = new WriteFailureLog((line) => lines.push(line));
    log.failed(new IpcError(ErrorCode.InvalidArgument, 'not a JSON object'));
    log.failed(new IpcError(ErrorCode.TooLarge, 'value over the limit'));
    expect(lines).toEqual([]);
  });
});
