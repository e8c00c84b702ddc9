// The CLI's help text.
export const usage = `pluresdb-ipc: a local database server and its client, over shared memory only

Server
  pluresdb-ipc serve [--channel NAME] [--data DIR] [--max-clients N] [--ring-bytes N]
                     [--max-value-bytes N] [--durability process|fsync] [--secret-file F]
                     [--spin-micros N] [--max-outbound-bytes N] [--writemap]
      Serves the store in DIR on channel NAME until SIGINT/SIGTERM. Prints one line
      "pluresdb-ipc ready: ..." on stdout when clients can connect. --writemap commits
      into a writable memory map (durability process only): a put's commit ~4 µs instead
      of ~11, but a full disk then kills the server (SIGBUS) instead of failing the write.
      --max-outbound-bytes (default 201326592, 192 MiB) bounds the output queued for all
      clients that do not read fast enough: past it, the session furthest behind is ended
      with Busy (see docs/operations.md, "Server memory").

Client (all take --channel NAME, --timeout MS, --secret-file F)
  pluresdb-ipc get KEY                 the record's data as JSON (exit 3 when missing)
  pluresdb-ipc put KEY JSON|-          replace the record's data (- reads stdin)
  pluresdb-ipc patch KEY JSON|-        set only the given fields
  pluresdb-ipc del KEY                 delete the record
  pluresdb-ipc list [--prefix P] [--after K] [--limit N] [--all]
                                       one page as JSON, or with --all every record
                                       as one JSON line each
  pluresdb-ipc watch [PREFIX]          one JSON line per change, until interrupted
  pluresdb-ipc stats                   server and store statistics
  pluresdb-ipc ping                    round-trip time to the server
  pluresdb-ipc bench [--iterations N] [--seconds S]
                                       IPC vs HTTP benchmark (starts its own servers)

Maintenance
  pluresdb-ipc doctor [--clean] [--channel NAME] [--json]
      Lists this user's segments in /dev/shm (channel, server pid, live or stale, state,
      clients, size, mode, owner) and checks /dev/shm's free space. --clean removes the
      stale segments (their server is gone), never a live server's. Exit 0 when nothing
      is wrong (after cleaning), 1 when a problem remains. See docs/operations.md.

Defaults: channel "default"; data directory $PLURESDB_IPC_DATA, else
$XDG_DATA_HOME/pluresdb-ipc/<channel>, else ~/.local/share/pluresdb-ipc/<channel>.
Exit codes: 0 ok, 1 failed (the message names the error code), 2 usage, 3 not found.
`;
