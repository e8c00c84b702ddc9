import { describe, expect, it } from 'vitest';
import { bcryptPrimitivesDll, forwarderDll } from '../src/pe-forwarder.ts';

// Reads a DLL's export table back the way a loader does: data directory 0, then the
// name table, the ordinal table and the function table; an RVA inside the export
// directory is a forwarder string.
function readExports(dll: Uint8Array): { dllName: string; exports: Map<string, string> } {
  const view = new DataView(dll.buffer, dll.byteOffset, dll.byteLength);
  expect(view.getUint16(0, true)).toBe(0x5a4d);
  const pe = view.getUint32(0x3c, true);
  expect(view.getUint32(pe, true)).toBe(0x4550);
  expect(view.getUint16(pe + 4, true)).toBe(0x8664);
  const optional = pe + 24;
  expect(view.getUint16(optional, true)).toBe(0x20b);
  const exportRva = view.getUint32(optional + 112, true);
  const exportSize = view.getUint32(optional + 116, true);
  const section = optional + view.getUint16(pe + 20, true);
  const sectionRva = view.getUint32(section + 12, true);
  const sectionRaw = view.getUint32(section + 20, true);
  const at = (rva: number): number => rva - sectionRva + sectionRaw;
  const text = (rva: number): string => {
    const start = at(rva);
    return new TextDecoder().decode(dll.subarray(start, dll.indexOf(0, start)));
  };
  const dir = at(exportRva);
  const count = view.getUint32(dir + 24, true);
  const functions = at(view.getUint32(dir + 28, true));
  const names = at(view.getUint32(dir + 32, true));
  const ordinals = at(view.getUint32(dir + 36, true));
  const exports = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const ordinal = view.getUint16(ordinals + 2 * i, true);
    const target = view.getUint32(functions + 4 * ordinal, true);
    expect(target >= exportRva && target < exportRva + exportSize).toBe(true);
    exports.set(text(view.getUint32(names + 4 * i, true)), text(target));
  }
  return { dllName: text(view.getUint32(dir + 12, true)), exports };
}

describe('forwarder DLL', () => {
  it("forwards Bun's ProcessPrng to advapi32.SystemFunction036", () => {
    const dll = bcryptPrimitivesDll();
    expect(dll.length % 0x200).toBe(0);
    const { dllName, exports } = readExports(dll);
    expect(dllName).toBe('bcryptprimitives.dll');
    expect([...exports]).toEqual([['ProcessPrng', 'advapi32.SystemFunction036']]);
  });

  it('sorts names (loaders binary-search them) and is deterministic', () => {
    const forwarders = [
      { name: 'Zeta', target: 'kernel32.Sleep' },
      { name: 'Alpha', target: 'kernel32.GetTickCount' },
    ];
    const dll = forwarderDll('x.dll', forwarders);
    expect([...readExports(dll).exports.keys()]).toEqual(['Alpha', 'Zeta']);
    expect(forwarderDll('x.dll', forwarders)).toEqual(dll);
  });

  it('refuses names that are not printable ASCII', () => {
    expect(() => forwarderDll('x.dll', [{ name: 'é', target: 'a.b' }])).toThrow(/ASCII/);
  });
});
