// `pnpm demo` (for now): one request's life through the codec — encode, verify, decode — and a
// corrupted copy refused. The server and client demo replaces this with issue #4.

import { IpcError } from '../src/index.ts';
import { decodeFrame, encodeFrame, type Frame } from '../src/messages.ts';
import { FrameBuilder } from '../src/wire/frame-builder.ts';

const builder = new FrameBuilder(256);
const put: Frame = {
  message: {
    type: 'Request',
    value: {
      id: 1n,
      body: {
        type: 'Put',
        value: { key: 'users/ada', value: new TextEncoder().encode('{"name":"Ada","age":36}') },
      },
    },
  },
};

const started = process.hrtime.bigint();
const bytes = encodeFrame(builder, put).slice();
const decoded = decodeFrame(bytes);
const micros = Number(process.hrtime.bigint() - started) / 1000;

console.log(`encoded a Put request into ${bytes.length} bytes:`);
for (let i = 0; i < bytes.length; i += 16) {
  const row = Array.from(bytes.subarray(i, i + 16), (b) => b.toString(16).padStart(2, '0')).join(
    ' ',
  );
  console.log(`  ${i.toString(16).padStart(4, '0')}  ${row}`);
}
if (decoded.message.type === 'Request' && decoded.message.value.body.type === 'Put') {
  const body = decoded.message.value.body.value;
  console.log(
    `verified and decoded: id=${decoded.message.value.id} key=${body.key} value=${new TextDecoder().decode(body.value)}`,
  );
}
console.log(`first encode + verify + decode (cold, includes JIT warm-up): ${micros.toFixed(1)} µs`);

// The key string was written first, so it sits at the end of the buffer: its u32 length sits 16
// bytes from the end ("users/ada" + terminator + padding). Claim 255 bytes instead of 9.
const corrupted = bytes.slice();
corrupted[corrupted.length - 16] = 0xff;
try {
  decodeFrame(corrupted);
  console.log('a corrupted copy decoded without complaint (unexpected)');
  process.exitCode = 1;
} catch (error) {
  if (!IpcError.is(error)) throw error;
  console.log(`a corrupted copy is refused: ${error.message}`);
}
console.log('\nThe shared-memory server and client arrive with issue #4; see README.md, "Status".');
