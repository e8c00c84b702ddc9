#!/usr/bin/env node
// The `pluresdb-ipc` command: the server (`serve`), one-shot client commands, `doctor` and
// `bench`.
import { clientCommand, isClientCommand } from './client-commands.ts';
import { survivePipeClosures, writeOut } from './closed-output.ts';
import { doctorCommand } from './doctor-command.ts';
import { ExitCode, reportError, UsageError } from './output.ts';
import { parseCommandLine } from './parse-args.ts';
import { serveCommand } from './serve-command.ts';
import { usage } from './usage.ts';

async function main(argv: readonly string[]): Promise<number> {
  survivePipeClosures();
  const args = parseCommandLine(argv);
  const command = args.positionals[0];
  if (command === undefined || command === 'help' || args.values.help) {
    writeOut(usage);
    return command === undefined && !args.values.help ? ExitCode.Usage : ExitCode.Ok;
  }
  if (command === 'serve') return serveCommand(args);
  if (command === 'doctor') return doctorCommand(args);
  if (command === 'bench') return (await import('../bench/e2e-bench.ts')).benchCommand(args);
  if (isClientCommand(command)) return clientCommand(command, args);
  throw new UsageError(`unknown command "${command}"`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = reportError(error);
  },
);
