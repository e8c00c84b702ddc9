#!/usr/bin/env node
// The `pluresdb-ipc` command: the server (`serve`), one-shot client commands and `doctor`.
import { readFileSync } from 'node:fs';
import { clientCommand, isClientCommand } from './client-commands.ts';
import { survivePipeClosures, writeOut } from './closed-output.ts';
import { doctorCommand } from './doctor-command.ts';
import { ExitCode, reportError, UsageError } from './output.ts';
import { parseCommandLine } from './parse-args.ts';
import { serveCommand } from './serve-command.ts';
import { commandUsage, hasHelp, usage } from './usage.ts';

const version: string = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
).version;

async function main(argv: readonly string[]): Promise<number> {
  survivePipeClosures();
  const args = parseCommandLine(argv);
  const [command, topic] = args.positionals;
  if (args.values.version) {
    writeOut(`pluresdb-ipc ${version}\n`);
    return ExitCode.Ok;
  }
  // `help put` and `put --help` alike.
  const helpOn = command === 'help' ? topic : args.values.help ? command : undefined;
  if (helpOn !== undefined) {
    if (!hasHelp(helpOn)) throw new UsageError(`unknown command "${helpOn}"`);
    writeOut(commandUsage(helpOn));
    return ExitCode.Ok;
  }
  if (command === undefined || command === 'help' || args.values.help) {
    writeOut(usage);
    return command === undefined && !args.values.help ? ExitCode.Usage : ExitCode.Ok;
  }
  if (command === 'serve') return serveCommand(args);
  if (command === 'doctor') return doctorCommand(args);
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
