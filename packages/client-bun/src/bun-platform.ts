// The Bun runtime binding of the transport: the shared POSIX platform over bun:ffi, with the
// Node host services (Bun runs them natively).
import { nodeHostServices } from '@pluresdb-ipc/client-node';
import { type Platform, posixPlatform } from '@pluresdb-ipc/protocol/transport';
import { bunLibc } from './bun-libc.ts';

/** The Bun platform. */
export const bunPlatform: Platform = posixPlatform(bunLibc, nodeHostServices(`bun ${Bun.version}`));
