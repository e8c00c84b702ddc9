// The benchmark's documents: JSON objects of an exact size, the same bytes for every transport.

/** A JSON object of exactly `bytes` bytes (at least 32): a few fields and a filler string. */
export function documentOfSize(bytes: number): Uint8Array {
  const head = { name: 'Ada Lovelace', role: 'admin', n: 1, filler: '' };
  const empty = JSON.stringify(head).length;
  if (bytes < empty) throw new RangeError(`a document is at least ${empty} bytes`);
  head.filler = 'x'.repeat(bytes - empty);
  return new TextEncoder().encode(JSON.stringify(head));
}
