// The CLI's help: an overview (`pluresdb-ipc help`) and one text per command
// (`pluresdb-ipc <command> --help`, `pluresdb-ipc help <command>`), from one table.

/** One command's help. */
interface CommandHelp {
  /** What follows `pluresdb-ipc ` on the usage line. */
  readonly synopsis: string;
  /** A shorter synopsis for the overview, when the whole one is long. */
  readonly brief?: string;
  /** One line for the overview. */
  readonly summary: string;
  /** The rest of `<command> --help`. */
  readonly details: string;
}

const clientFlags = `Flags every client command takes:
  --channel NAME      the server's channel (default "default")
  --timeout MS        give up after MS milliseconds, connecting included (default 30000)
  --secret-file F     the server's shared secret, when it requires one`;

const conditionFlags = `
  --if-absent   only when the record is not live (never written, or deleted)
  --if-hlc N    only when the record's HLC (get-record's hlc) is N
Either failing: exit 1 with a Conflict error, and nothing is written.`;

const commands: Record<string, CommandHelp> = {
  serve: {
    synopsis: `serve [--channel NAME] [--data DIR] [--max-clients N] [--ring-bytes N]
                     [--max-value-bytes N] [--durability process|fsync] [--secret-file F]
                     [--spin-micros N] [--max-outbound-bytes N] [--writemap]
                     [--fix-permissions] [--parent-pid PID] [--change-log-entries N]
                     [--change-log-bytes N] [--change-log-age-ms N]
                     [--tombstone-horizon-ms N]`,
    brief: 'serve [--channel NAME] [--data DIR] [FLAGS]',
    summary: 'serve DIR on channel NAME until a signal',
    details: `Serves the store in DIR on channel NAME until SIGINT/SIGTERM, then answers or fails
what is in flight, flushes, removes its shared memory and exits 0. Prints one line
"pluresdb-ipc ready: ..." on stdout when clients can connect; logs go to stderr.

  --channel NAME        default "default"
  --data DIR            default $PLURESDB_IPC_DATA, else $XDG_DATA_HOME/pluresdb-ipc/<channel>,
                        else ~/.local/share/pluresdb-ipc/<channel>
  --max-clients N       client slots (default 64; one more is kept for operators)
  --ring-bytes N        bytes of each ring, a power of two (default 262144)
  --max-value-bytes N   largest record data (default 67108864)
  --durability MODE     process (default: a write survives the server's crash) or fsync
                        (it survives the machine's)
  --secret-file F       clients must send this file's bytes as credentials
  --spin-micros N       busy-wait this long for more work before sleeping (default 200)
  --max-outbound-bytes N  most output queued for all clients that do not read fast enough
                        (default 201326592, 192 MiB): past it, the session furthest behind
                        is ended with Busy (docs/operations.md, "Server memory")
  --writemap            commit into a writable memory map (durability process only): a
                        put's commit ~4 µs instead of ~11, but a full disk then kills the
                        server (SIGBUS) instead of failing the write
  --fix-permissions     tighten this user's DIR (to 0700) and its files (to 0600) when
                        other users could read or write them, instead of refusing to start
  --parent-pid PID      stop cleanly, as on SIGTERM, once process PID is gone (checked every
                        250 ms): an app's server does not outlive the app, even killed
  --change-log-entries N, --change-log-bytes N, --change-log-age-ms N
                        bounds of the change log that resumed watches read (defaults
                        100000, 67108864 (64 MiB), 604800000 (7 days); 0 = no limit):
                        docs/operations.md, "Change log"
  --tombstone-horizon-ms N  purge deleted records (tombstones) whose last change is older
                        than N ms (default 2592000000, 30 days; 0 keeps them forever)

DIR is created 0700 and its files 0600; a DIR or file other users can read or write is
refused (PermissionDenied) unless --fix-permissions is given and it is this user's.
<channel> in the default DIR is percent-encoded, "." and ".." as %2E and %2E%2E.`,
  },
  get: {
    synopsis: 'get KEY',
    summary: 'the record as JSON (exit 3 when missing)',
    details: "Prints the record's data as JSON; exit 3 (and a line on stderr) when there is none.",
  },
  put: {
    synopsis: 'put KEY JSON|- [--if-absent] [--if-hlc N]',
    summary: "replace the record's data (- reads stdin)",
    details: `Replaces the record's data with the JSON object given (- reads it from stdin); prints
the write's {hlc, count}.
${conditionFlags}`,
  },
  patch: {
    synopsis: 'patch KEY JSON|- [--if-absent] [--if-hlc N]',
    summary: 'set only the given fields',
    details: `Sets the fields of the JSON object given (- reads it from stdin), keeping the record's
other fields; prints the write's {hlc, count}.
${conditionFlags}`,
  },
  del: {
    synopsis: 'del KEY [--if-absent] [--if-hlc N]',
    summary: 'delete the record',
    details: `Deletes the record; prints the write's {hlc, count} (count 0 when there was none).
${conditionFlags}`,
  },
  list: {
    synopsis: 'list [--prefix P] [--start K] [--end K] [--reverse] [--after K] [--limit N] [--all]',
    brief: 'list [--prefix P] [--start K] [--end K] [FLAGS]',
    summary: 'a page as JSON; --all: all, a line each',
    details: `Prints one page of records in key order as JSON ({items, next}); pass next as --after
for the following page. --all prints every record instead, one JSON line each, fetching
pages as it goes (stops quietly when its reader goes away: list --all | head).

  --prefix P    only keys starting with P
  --start K     only keys at or after K (inclusive)
  --end K       only keys before K (exclusive)
  --reverse     from the last key down; --after K then continues below K`,
  },
  count: {
    synopsis: 'count [PREFIX] [--start K] [--end K]',
    summary: 'how many live records a range holds',
    details: `Prints {"count": N}: the live records whose keys start with PREFIX (every key when
none), at or after --start K and before --end K. Values are not read.`,
  },
  'delete-range': {
    synopsis: 'delete-range PREFIX | --start K --end K | --all',
    summary: 'delete every record of a range, atomically',
    details: `Deletes every live record whose key starts with PREFIX, at or after --start K and
before --end K (any of the three, together), in one transaction: a reader sees all of
them deleted or none. Each leaves a tombstone and a delete event, as del does. Prints
{hlc, count}. With no range at all it refuses, unless --all (every record) is given.`,
  },
  watch: {
    synopsis: 'watch [PREFIX] [--since SEQ] [--no-resume]',
    summary: 'one JSON line per change, until interrupted',
    details: `Prints one JSON line per change to a key starting with PREFIX (every key when none),
each with its seq, until interrupted (exit 0). --since SEQ first prints the changes
after SEQ that the server's change log holds (0: all it holds). When the session is
lost (a server restart, a watch cut for falling behind) it reconnects and resumes
after the last seq printed, missing nothing; it ends (exit 1, after the changes
already received) when it cannot: ResumeTooOld (the log no longer holds them: list
again), or with --no-resume.`,
  },
  stats: {
    synopsis: 'stats',
    summary: 'server and store statistics',
    details: "Prints the server's and the store's statistics as JSON (docs/operations.md).",
  },
  ping: {
    synopsis: 'ping',
    summary: 'round-trip time to the server',
    details: 'Prints the median round trip of ten pings, after ten to warm up.',
  },
  export: {
    synopsis: 'export [--prefix P]',
    summary: 'every record with its metadata, NDJSON',
    details: `Writes every record whose key starts with P (every key when none) to stdout, one JSON
line each, in key order, with its CRDT metadata (HLCs, actors, clock, field registers);
deleted records (tombstones) too, so deletes travel. The format is in spec/crdt.md,
"Export format". A progress line shows on stderr when it is a terminal; a summary
{"exported":N,"tombstones":T} goes to stderr at the end. Memory stays bounded: pages
are fetched as stdout takes them.`,
  },
  import: {
    synopsis: 'import [--max-in-flight N]',
    summary: 'merge NDJSON records from stdin',
    details: `Merges each line of stdin (the export format) into the store: import = merge, so
importing twice, or into a store that has newer versions, changes nothing more. Up to N
merges are in flight (default 64). A line that cannot be read or whose record is refused
is reported on stderr with its line number and counted; the import goes on. Prints
{"read","merged","unchanged","failed"} at the end; exit 1 when any line failed.`,
  },
  backup: {
    synopsis: 'backup DIR',
    summary: 'the server copies its store into DIR',
    details: `Has the server write a consistent, compacted copy of its store into DIR (a path on
the server's machine that does not exist or is an empty directory; created 0700, the
file 0600) while it keeps serving; prints {path, bytes}. Restore: stop the server and
serve DIR (--data DIR), or put DIR/data.mdb in place of the data directory's
data.mdb (docs/operations.md, "Backup and restore"). Waits up to an hour unless
--timeout says otherwise.`,
  },
  doctor: {
    synopsis: 'doctor [--clean] [--channel NAME] [--json]',
    summary: "this user's segments; --clean drops stale",
    details: `Lists this user's segments in /dev/shm (channel, server pid, live or stale, state,
clients, size, mode, owner) and checks /dev/shm's free space. --clean removes the
stale segments (their server is gone), never a live server's. Exit 0 when nothing
is wrong (after cleaning), 1 when a problem remains. On Windows it looks at the channel
given (default "default"): names there cannot be listed, and nothing is left to clean.
See docs/operations.md.`,
  },
};

const clientCommands = [
  'get',
  'put',
  'patch',
  'del',
  'list',
  'count',
  'delete-range',
  'watch',
  'stats',
  'ping',
  // Data out and in.
  'export',
  'import',
  'backup',
];

function line(name: string): string {
  const help = commands[name] as CommandHelp;
  const synopsis = `  pluresdb-ipc ${help.brief ?? help.synopsis}`;
  return synopsis.length < 36
    ? `${synopsis.padEnd(36)}${help.summary}`
    : `${synopsis}\n${' '.repeat(36)}${help.summary}`;
}

/** The overview: every command, a line each. */
export const usage = `pluresdb-ipc: a local database server and its client, over shared memory only

Server
${line('serve')}

Client (all take --channel NAME, --timeout MS, --secret-file F)
${clientCommands.map(line).join('\n')}

Maintenance
${line('doctor')}

"pluresdb-ipc <command> --help" tells more; --version prints the version.
Defaults: channel "default"; data directory $PLURESDB_IPC_DATA, else
$XDG_DATA_HOME/pluresdb-ipc/<channel>, else ~/.local/share/pluresdb-ipc/<channel>
(<channel> percent-encoded, "." and ".." as %2E and %2E%2E).
Exit codes: 0 ok, 1 failed (the message names the error code), 2 usage, 3 not found.
`;

/** True when `name` is a command with its own help. */
export function hasHelp(name: string): boolean {
  return Object.hasOwn(commands, name);
}

/** The help of one command (see {@link hasHelp}). */
export function commandUsage(name: string): string {
  const help = commands[name] as CommandHelp;
  const flags = clientCommands.includes(name) ? `\n\n${clientFlags}` : '';
  return `Usage: pluresdb-ipc ${help.synopsis}\n\n${help.details}${flags}\n`;
}
