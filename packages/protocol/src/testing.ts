// @pluresdb-ipc/protocol/testing: checks each runtime package's tests run in their own runtime
// (Node, Bun, Deno), so the three bindings are held to the same list; and the Windows checks
// the Node and Bun fixtures run on Windows (or under Wine).
export { checkConnect, type RuntimeEntry } from './testing/connect-checks.ts';
export { checkLibcBinding } from './testing/libc-binding-checks.ts';
export { checkWindowsBinding } from './testing/windows-binding-checks.ts';
