// The CLI's data commands (spec/crdt.md#export-format, #backup): `export` writes NDJSON to
// stdout, `import` merges NDJSON from stdin, `backup` has the server copy its store. Export and
// import stream: memory stays bounded by a page of records and the merges in flight.
import type { IpcClient } from '@pluresdb-ipc/client-node';
import { ErrorCode, type ImportSummary, IpcError } from '@pluresdb-ipc/protocol';
import { errorCodeName } from '@pluresdb-ipc/protocol/messages';
import { outputClosed, writeErr } from './closed-output.ts';
import { inputLines } from './input-lines.ts';
import { ExitCode, printJson, toJson } from './output.ts';
import { type ParsedArgs, positiveInteger } from './parse-args.ts';
import { ProgressLine } from './progress-line.ts';
import { parseRecordLine, recordLine } from './record-lines.ts';

// The longest input line: a record carries its data twice (data and field values), and the
// server's default value limit is 64 MiB.
const MAX_LINE_BYTES = 256 * 1024 * 1024;
// Failures printed one line each; past this, only counted (the summary has the total).
const MAX_FAILURE_LINES = 100;
// Lines gathered before one write to stdout.
const WRITE_BYTES = 64 * 1024;

/** `export [--prefix P]`: every record with its CRDT metadata, a JSON line each, on stdout. */
export async function exportCommand(client: IpcClient, args: ParsedArgs): Promise<number> {
  const prefix = args.values.prefix;
  const progress = new ProgressLine('exported');
  let records = 0;
  let tombstones = 0;
  let pending = '';
  for await (const record of client.exportRecords(prefix === undefined ? {} : { prefix })) {
    if (outputClosed.aborted) break;
    records++;
    if (record.deleted) tombstones++;
    pending += `${recordLine(record)}\n`;
    if (pending.length >= WRITE_BYTES) {
      await writeStdout(pending);
      pending = '';
    }
    progress.update(records);
  }
  if (pending !== '') await writeStdout(pending);
  progress.done();
  // stdout holds the records: the summary goes to stderr, as one JSON line.
  writeErr(`${toJson({ exported: records, tombstones })}\n`);
  return ExitCode.Ok;
}

/** `import`: merges each NDJSON line of stdin (import = merge); prints a JSON summary. */
export async function importCommand(client: IpcClient, args: ParsedArgs): Promise<number> {
  const maxInFlight =
    args.values['max-in-flight'] === undefined
      ? undefined
      : positiveInteger(args.values['max-in-flight'], '--max-in-flight');
  const progress = new ProgressLine('imported');
  // The line of each record in flight, to name it when its merge fails (freed with the record).
  const lineOf = new WeakMap<object, number>();
  let printed = 0;
  const report = (line: number, error: IpcError): void => {
    if (printed++ < MAX_FAILURE_LINES) {
      progress.clear();
      writeErr(`pluresdb-ipc: line ${line}: ${errorCodeName(error.code)}: ${error.rawMessage}\n`);
    } else if (printed === MAX_FAILURE_LINES + 1) {
      writeErr(`pluresdb-ipc: more failures not shown (the summary counts them)\n`);
    }
  };
  async function* records() {
    for await (const line of inputLines(process.stdin, MAX_LINE_BYTES)) {
      if (line.text !== undefined && line.text.trim() === '') continue;
      if (line.text === undefined) {
        yield lineError(line.number, line.error ?? 'unreadable');
        continue;
      }
      try {
        const record = parseRecordLine(line.text);
        lineOf.set(record, line.number);
        yield record;
      } catch (error) {
        yield lineError(line.number, IpcError.from(error, ErrorCode.InvalidArgument).rawMessage);
      }
    }
  }
  const summary: ImportSummary = await client.importRecords(records(), {
    ...(maxInFlight === undefined ? {} : { maxInFlight }),
    onFailure: ({ record, error }) => {
      const line = record === undefined ? lineNumberOf(error) : lineOf.get(record);
      if (line !== undefined) report(line, record === undefined ? lineCause(error) : error);
    },
    onProgress: (totals) => progress.update(totals.read),
  });
  progress.done();
  printJson(summary);
  return summary.failed > 0 ? ExitCode.Failed : ExitCode.Ok;
}

/** `backup DIR`: the server writes a compacted copy of its store into DIR; prints path and size. */
export async function backupCommand(
  client: IpcClient,
  dir: string,
  args: ParsedArgs,
): Promise<number> {
  // A big store takes a while to copy: an hour unless --timeout says otherwise.
  const timeoutMs =
    args.values.timeout === undefined
      ? 3_600_000
      : positiveInteger(args.values.timeout, '--timeout');
  printJson(await client.backup(dir, { timeoutMs }));
  return ExitCode.Ok;
}

// A line that could not be read, carried to the import as an Error that knows its line.
class LineError extends IpcError {
  constructor(
    readonly line: number,
    readonly reason: IpcError,
  ) {
    super(reason.code, `line ${line}: ${reason.rawMessage}`);
  }
}

function lineError(line: number, message: string): LineError {
  return new LineError(line, new IpcError(ErrorCode.InvalidArgument, message));
}

function lineNumberOf(error: IpcError): number | undefined {
  return error instanceof LineError ? error.line : undefined;
}

function lineCause(error: IpcError): IpcError {
  return error instanceof LineError ? error.reason : error;
}

// Waits for stdout to take `text` when it is a pipe that is full (bounded memory), or gone.
function writeStdout(text: string): Promise<void> {
  if (outputClosed.aborted || process.stdout.destroyed) return Promise.resolve();
  if (process.stdout.write(text)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      process.stdout.off('drain', done);
      outputClosed.removeEventListener('abort', done);
      resolve();
    };
    process.stdout.once('drain', done);
    outputClosed.addEventListener('abort', done, { once: true });
  });
}
