// @pluresdb-ipc/protocol: the client API every runtime package re-exports besides its
// `connect` and its binding. The other entry points:
// - `@pluresdb-ipc/protocol/messages`: the generated codecs of every message, the verifier
//   and the JSON form (spec/messages.md), for the server, tools and the conformance suite;
// - `@pluresdb-ipc/protocol/transport`: what a runtime binding and the server build on: the
//   platform seam, POSIX segments and futexes, rings, the segment layout, the client core and
//   the frame codec (spec/transport.md);
// - `@pluresdb-ipc/protocol/testing`: checks a runtime binding's tests run.
export * from './client/public-api.ts';
