// How long each side of a session busy-waits and sleeps: the reference values of both the
// client's pump and the server's loop (spec/transport.md#spin-window-and-timeouts), kept in
// one place so the two sides cannot drift apart.

/**
 * Largest slice of a spin before the loop lets timers and I/O run, in ms: a spin window is
 * spun in slices of at most this, with a macrotask turn between them.
 */
export const SPIN_SLICE_MS = 0.05;

/**
 * Longest futex sleep, in ms, before a side looks at its peer again (the client checks the
 * server's liveness when one runs its whole time). The spec allows up to one second; a quiet
 * server uses that (its own constant).
 */
export const MAX_SLEEP_MS = 200;
