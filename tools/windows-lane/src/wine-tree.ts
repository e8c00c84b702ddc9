// A symlink-free view of the checkout for Windows programs. Under Wine, Windows Node and Bun
// see pnpm's symlinks as plain folders (realpath leaves them as they are), so a package is
// loaded once per path it is reached by (two copies of @pluresdb-ipc/protocol, two IpcError
// classes) and a third-party package cannot find its dependencies, which pnpm keeps next to
// it and not below it. The lane therefore builds an npm-style flat node_modules of links to
// the real folders, plus the win32 native packages where koffi and lmdb look for them, and
// mirrors the folders the Windows programs run from (conformance/, this package) without
// their own node_modules. Rebuilt on every run: a few hundred links, deterministic.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** What goes into the tree. */
export interface TreeInput {
  /** The repository's root. */
  readonly repo: string;
  /** Repository folders to mirror (relative), e.g. `conformance`; their dependencies are included. */
  readonly mirror: readonly string[];
  /** Folders linked as they are (relative), e.g. `schema`. */
  readonly link: readonly string[];
  /** Extra packages by name → folder (the win32 native packages). */
  readonly extra: ReadonlyMap<string, string>;
}

/** Builds the tree in `dir` (emptied first); returns how many packages it holds. */
export function buildWineTree(dir: string, input: TreeInput): number {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const packages = new Map<string, string>(input.extra);
  const workspace = new Set<string>();
  const visit = (name: string, from: string): void => {
    const real = findPackage(name, from);
    if (real === undefined) return; // an optional dependency not installed for this OS
    const known = packages.get(name);
    if (known !== undefined) {
      if (known !== real)
        throw new Error(`two versions of ${name} (${known}, ${real}): a flat tree holds one`);
      return;
    }
    packages.set(name, real);
    if (!real.split(sep).includes('node_modules')) workspace.add(name);
    for (const dep of dependencies(real, false)) visit(dep, real);
  };
  for (const folder of input.mirror) {
    const source = join(input.repo, folder);
    for (const dep of dependencies(source, true)) visit(dep, source);
    mirrorFolder(source, join(dir, folder));
  }
  for (const folder of input.link) link(join(input.repo, folder), join(dir, folder));
  for (const [name, real] of packages) {
    const target = join(dir, 'node_modules', name);
    if (workspace.has(name)) mirrorFolder(real, target);
    else link(real, target);
  }
  linkNativesBesideParents(input.extra, packages);
  return packages.size;
}

// Windows Bun, unlike Windows Node, sees through pnpm's links (it asks Windows for a file's
// final path, and Wine answers with the real one), so it loads koffi from pnpm's store and
// looks for the win32 build beside it, where pnpm puts only the Linux one. A link there, from
// each native package's parent package (koffi-win32-x64 beside koffi): the place pnpm itself
// would use with supportedArchitectures; made again on every run, harmless to Linux.
function linkNativesBesideParents(
  natives: ReadonlyMap<string, string>,
  packages: ReadonlyMap<string, string>,
): void {
  for (const [name, folder] of natives) {
    const parent = NATIVE_PARENTS.get(name);
    const parentDir = parent === undefined ? undefined : packages.get(parent);
    if (parentDir === undefined || !parentDir.split(sep).includes('node_modules')) continue;
    const target = join(dirname(parentDir), name);
    rmSync(target, { recursive: true, force: true });
    link(folder, target);
  }
}

/** Which package loads each win32 native package. */
const NATIVE_PARENTS = new Map([
  ['@koromix/koffi-win32-x64', 'koffi'],
  ['@lmdb/lmdb-win32-x64', 'lmdb'],
  ['@msgpackr-extract/msgpackr-extract-win32-x64', 'msgpackr-extract'],
]);

// A folder of links to each of `source`'s entries but its node_modules (whose links would
// lead the Windows side to a second copy of each package).
function mirrorFolder(source: string, target: string): void {
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(source)) {
    if (entry === 'node_modules' || entry === 'test-results' || entry === '.turbo') continue;
    link(join(source, entry), join(target, entry));
  }
}

function link(source: string, target: string): void {
  mkdirSync(dirname(target), { recursive: true });
  symlinkSync(relative(dirname(target), realpathSync(source)), target);
}

// Where Node would find `name` from the folder `from` (its real path), or undefined.
function findPackage(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

// The names a package needs at run time; type packages are left out.
function dependencies(folder: string, withDev: boolean): string[] {
  const json = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as Record<
    string,
    Record<string, string> | undefined
  >;
  const groups = [json.dependencies, json.optionalDependencies, json.peerDependencies];
  if (withDev) groups.push(json.devDependencies);
  const names = groups.flatMap((group) => Object.keys(group ?? {}));
  return [...new Set(names)].filter((name) => !name.startsWith('@types/')).sort();
}
