// A tiny PE32+ DLL whose only content is an export table of forwarders: Wine 8 lacks
// bcryptprimitives.dll, which Windows Bun imports for `ProcessPrng`, and forwarding that one
// name to advapi32's `SystemFunction036` (RtlGenRandom: same arguments, fills a buffer with
// random bytes) makes Bun run (/work/shared/PLATFORMS.md, "Windows under Wine"). Written here
// byte by byte so the lane downloads no binaries. Layout: Microsoft's PE format
// documentation (learn.microsoft.com/windows/win32/debug/pe-format).

/** One exported name and where the loader sends calls to it (`dll.Function`). */
export interface Forwarder {
  readonly name: string;
  readonly target: string;
}

const FILE_ALIGNMENT = 0x200;
const SECTION_ALIGNMENT = 0x1000;
/** The one section (.rdata) holds the export directory, at this RVA. */
const SECTION_RVA = 0x1000;
const PE_OFFSET = 0x40;
const OPTIONAL_HEADER_SIZE = 240; // PE32+ with 16 data directories
const EXPORT_DIRECTORY_SIZE = 40;

/** The DLL Windows Bun needs under Wine: `ProcessPrng` → `advapi32.SystemFunction036`. */
export function bcryptPrimitivesDll(): Uint8Array {
  return forwarderDll('bcryptprimitives.dll', [
    { name: 'ProcessPrng', target: 'advapi32.SystemFunction036' },
  ]);
}

/** Builds a DLL named `dllName` that exports `forwarders` (sorted by name, as loaders need). */
export function forwarderDll(dllName: string, forwarders: readonly Forwarder[]): Uint8Array {
  const sorted = [...forwarders].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const exports = exportSection(dllName, sorted);
  const rawSize = align(exports.length, FILE_ALIGNMENT);
  const image = new Uint8Array(FILE_ALIGNMENT + rawSize);
  const view = new DataView(image.buffer);
  // DOS header: the magic and where the PE header starts.
  image.set([0x4d, 0x5a], 0);
  view.setUint32(0x3c, PE_OFFSET, true);
  image.set([0x50, 0x45, 0, 0], PE_OFFSET);
  // COFF header.
  let at = PE_OFFSET + 4;
  view.setUint16(at, 0x8664, true); // x86-64
  view.setUint16(at + 2, 1, true); // one section
  view.setUint16(at + 16, OPTIONAL_HEADER_SIZE, true);
  view.setUint16(at + 18, 0x2022, true); // executable image, large-address aware, DLL
  // Optional header (PE32+). No entry point: a DLL may have none.
  at += 20;
  const optional = at;
  view.setUint16(at, 0x20b, true);
  view.setUint32(at + 8, rawSize, true); // SizeOfInitializedData
  view.setBigUint64(at + 24, 0x180000000n, true); // ImageBase
  view.setUint32(at + 32, SECTION_ALIGNMENT, true);
  view.setUint32(at + 36, FILE_ALIGNMENT, true);
  view.setUint16(at + 40, 6, true); // OS version 6.0
  view.setUint16(at + 48, 6, true); // subsystem version 6.0
  view.setUint32(at + 56, SECTION_RVA + align(exports.length, SECTION_ALIGNMENT), true); // SizeOfImage
  view.setUint32(at + 60, FILE_ALIGNMENT, true); // SizeOfHeaders
  view.setUint16(at + 68, 3, true); // console subsystem
  view.setBigUint64(at + 72, 0x100000n, true); // stack reserve
  view.setBigUint64(at + 80, 0x1000n, true); // stack commit
  view.setBigUint64(at + 88, 0x100000n, true); // heap reserve
  view.setBigUint64(at + 96, 0x1000n, true); // heap commit
  view.setUint32(at + 108, 16, true); // NumberOfRvaAndSizes
  // Data directory 0: the export table, the whole section (forwarder strings must lie
  // inside it: that is how a loader tells a forwarder from code).
  view.setUint32(at + 112, SECTION_RVA, true);
  view.setUint32(at + 116, exports.length, true);
  // The section header.
  at = optional + OPTIONAL_HEADER_SIZE;
  image.set(ascii('.rdata'), at);
  view.setUint32(at + 8, exports.length, true); // VirtualSize
  view.setUint32(at + 12, SECTION_RVA, true);
  view.setUint32(at + 16, rawSize, true);
  view.setUint32(at + 20, FILE_ALIGNMENT, true); // PointerToRawData
  view.setUint32(at + 36, 0x40000040, true); // initialized data, readable
  image.set(exports, FILE_ALIGNMENT);
  return image;
}

// The export directory, its three tables and its strings, addressed from SECTION_RVA.
function exportSection(dllName: string, forwarders: readonly Forwarder[]): Uint8Array {
  const count = forwarders.length;
  const functionsAt = EXPORT_DIRECTORY_SIZE;
  const namesAt = functionsAt + 4 * count;
  const ordinalsAt = namesAt + 4 * count;
  let stringsAt = ordinalsAt + 2 * count;
  const strings: Uint8Array[] = [];
  const place = (text: string): number => {
    const bytes = ascii(`${text}\0`);
    const rva = SECTION_RVA + stringsAt;
    strings.push(bytes);
    stringsAt += bytes.length;
    return rva;
  };
  const dllNameRva = place(dllName);
  const nameRvas = forwarders.map((entry) => place(entry.name));
  const targetRvas = forwarders.map((entry) => place(entry.target));
  const section = new Uint8Array(stringsAt);
  const view = new DataView(section.buffer);
  view.setUint32(12, dllNameRva, true);
  view.setUint32(16, 1, true); // ordinal base
  view.setUint32(20, count, true); // functions
  view.setUint32(24, count, true); // names
  view.setUint32(28, SECTION_RVA + functionsAt, true);
  view.setUint32(32, SECTION_RVA + namesAt, true);
  view.setUint32(36, SECTION_RVA + ordinalsAt, true);
  for (let i = 0; i < count; i++) {
    view.setUint32(functionsAt + 4 * i, targetRvas[i] as number, true);
    view.setUint32(namesAt + 4 * i, nameRvas[i] as number, true);
    view.setUint16(ordinalsAt + 2 * i, i, true);
  }
  let offset = ordinalsAt + 2 * count;
  for (const bytes of strings) {
    section.set(bytes, offset);
    offset += bytes.length;
  }
  return section;
}

function ascii(text: string): Uint8Array {
  if (!/^[\x20-\x7e\0]*$/.test(text)) throw new Error(`not printable ASCII: ${text}`);
  return new TextEncoder().encode(text);
}

function align(value: number, to: number): number {
  return Math.ceil(value / to) * to;
}
