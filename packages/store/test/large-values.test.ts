// Values near the 64 MiB limit: lmdb-js hands such values back as plain Uint8Arrays rather
// than Buffers, which broke reads and overwrites before as-buffer.ts.
import { afterAll, expect, it } from 'vitest';
import { freshStore, removeTempDirs } from './helpers.ts';

afterAll(removeTempDirs);

function document(size: number, fill: number): Uint8Array {
  const bytes = new Uint8Array(size).fill(fill);
  bytes.set(new TextEncoder().encode('{"blob":"'), 0);
  bytes.set(new TextEncoder().encode('"}'), size - 2);
  return bytes;
}

it('reads, overwrites, patches and lists a 64 MiB record', async () => {
  const store = await freshStore({ maxValueBytes: 64 * 1024 * 1024 });
  const size = 64 * 1024 * 1024 - 64;
  await store.putJson('big', document(size, 0x61));
  expect(store.getJson('big')?.length).toBe(size);
  await store.putJson('big', document(size, 0x62));
  expect(store.getJson('big')?.[100]).toBe(0x62);
  await store.patchJson('big', new TextEncoder().encode('{"n":1}'));
  expect(store.getRecordJson('big')?.fields?.map((field) => field.name)).toEqual(['blob', 'n']);
  expect(store.listJson({ limit: 1 }).items[0]?.data.length).toBeGreaterThan(size);
  await store.close();
}, 60_000);
