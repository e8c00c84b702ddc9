// Links into the documents must lead somewhere: a `spec/transport.md#liveness` in a code comment,
// a `[Liveness](transport.md#liveness)` in the spec, a `../../docs/operations.md#server-memory`
// in a README. A renamed heading silently breaks every reference to it; this finds them. Anchors
// are GitHub's: each heading's slug (github-slugger's rules) and explicit `<a id="...">` or
// `<a name="...">` tags.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, relative, sep } from 'node:path';

/** One reference to a document, and where it was found. */
export interface DocReference {
  /** The file holding the reference, relative to the repository root (`/`-separated). */
  readonly from: string;
  /** Its 1-based line. */
  readonly line: number;
  /** The referenced path, relative to the repository root (`/`-separated). */
  readonly path: string;
  /** The anchor after `#`, without it; undefined when there is none. */
  readonly anchor?: string;
}

/**
 * GitHub's id for a heading's text: lower case, every character but letters, marks, digits,
 * connector punctuation (`_`), spaces and hyphens dropped, then spaces turned into hyphens.
 * Inline Markdown is reduced to its text first: links to their text, code spans to their code,
 * HTML tags dropped.
 */
export function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]*>/g, '')
    .trim();
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The lines of `markdown` outside fenced code blocks, with their 1-based numbers. */
function proseLines(markdown: string): { text: string; line: number }[] {
  const lines: { text: string; line: number }[] = [];
  let fence: string | undefined;
  markdown.split('\n').forEach((text, index) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(text)?.[1];
    if (fence === undefined && marker !== undefined) fence = marker;
    else if (fence !== undefined) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) {
        fence = undefined;
      }
    } else lines.push({ text, line: index + 1 });
  });
  return lines;
}

/**
 * Every anchor of a Markdown document: heading slugs (a repeated slug gets `-1`, `-2`, ... as
 * on GitHub) and the ids and names of `<a>` tags. Headings inside code fences are not headings.
 */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of proseLines(markdown)) {
    for (const match of text.matchAll(/<a\s[^>]*\b(?:id|name)="([^"]+)"/g)) {
      anchors.add(match[1] as string);
    }
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(text);
    if (heading === null) continue;
    const slug = githubSlug(heading[1] as string);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** A path as the references name it: `/`-separated, relative to the repository root. */
function portable(path: string): string {
  return path.split(sep).join('/');
}

// `spec/<name>.md#<anchor>` or `docs/<name>.md` written out (in a comment, in prose, in backticks), with any
// leading `../` (a README's relative path): resolved from the repository root. The anchor is
// letters, digits, `_` and `-`; a sentence's full stop or closing parenthesis ends it.
const writtenOut = /(?<![\w/.-])(?:\.\.?\/)*((?:spec|docs)\/[\w.-]+\.md)(?:#([\p{L}\p{N}_-]+))?/gu;

// A comment wrapped inside an anchor (`#naming-and-` / `// permissions`) is joined again: the
// anchor's rest moves up to its line, the line break stays (so line numbers do not change).
function joinWrappedAnchors(text: string): string {
  return text.replace(
    /(\.md#[\p{L}\p{N}_-]*-)\r?\n([ \t]*(?:\/\/+|\*|#+)?[ \t]*)([\p{L}\p{N}_-]+)/gu,
    '$1$3\n$2',
  );
}

function writtenOutReferences(from: string, text: string, line: number): DocReference[] {
  return [...text.matchAll(writtenOut)].map((match) => ({
    from,
    line,
    path: match[1] as string,
    ...(match[2] === undefined ? {} : { anchor: match[2] }),
  }));
}

/**
 * The references in a source file (`from`, relative to the repository root): every written-out
 * `spec/<name>.md` or `docs/<name>.md`, with its anchor.
 */
export function codeReferences(from: string, code: string): DocReference[] {
  const references: DocReference[] = [];
  joinWrappedAnchors(code)
    .split('\n')
    .forEach((text, index) => {
      references.push(...writtenOutReferences(from, text, index + 1));
    });
  return references;
}

/**
 * The references in a Markdown file (`from`, relative to the repository root): its links
 * (inline and reference definitions, resolved from the file's folder; `#a` alone is the file
 * itself) and written-out `spec/<name>.md` or `docs/<name>.md` paths. Links with a scheme (`https:`,
 * `mailto:`) are not checked, nor anything inside code fences.
 */
export function markdownReferences(from: string, markdown: string): DocReference[] {
  const references: DocReference[] = [];
  const folder = dirname(from);
  for (const { text, line } of proseLines(markdown)) {
    const targets = [
      ...[...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]),
      ...[...text.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)/g)].map((m) => m[1]),
    ] as string[];
    for (const target of targets) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      const hash = target.indexOf('#');
      const file = hash < 0 ? target : target.slice(0, hash);
      const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
      references.push({
        from,
        line,
        path: file === '' ? from : portable(normalize(join(folder, decodeURIComponent(file)))),
        ...(anchor === undefined || anchor === '' ? {} : { anchor }),
      });
    }
    references.push(...writtenOutReferences(from, text, line));
  }
  return references;
}

/** Folders never scanned: installed, built, generated, recorded or test data. */
const SKIPPED = new Set([
  'node_modules',
  'dist',
  'gen',
  '.git',
  '.turbo',
  'test-results',
  'vectors',
  'fuzz-corpus',
  'results',
]);
/** Source files whose comments and strings may name a document. */
const SOURCE = new Set(['.ts', '.mts', '.js', '.mjs', '.fbs', '.json']);

/** Every file under `dir` (repository-relative paths), skipping {@link SKIPPED} folders. */
function filesUnder(root: string, dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name)) files.push(...filesUnder(root, path));
    } else if (entry.isFile()) files.push(path);
  }
  return files;
}

/**
 * Every document reference in the repository at `root`: Markdown files anywhere, and source
 * files (`.ts`, `.mjs`, `.fbs`, `.json`, ...) anywhere but the skipped folders (dependencies,
 * builds, generated code, data).
 */
export function repositoryReferences(root: string): DocReference[] {
  const references: DocReference[] = [];
  for (const path of filesUnder(root, '')) {
    const extension = extname(path);
    if (extension === '.md') {
      references.push(...markdownReferences(path, readFileSync(join(root, path), 'utf8')));
    } else if (SOURCE.has(extension)) {
      references.push(...codeReferences(path, readFileSync(join(root, path), 'utf8')));
    }
  }
  return references;
}

/**
 * What is wrong with `references` (one line each, `from:line: path#anchor: why`), against the
 * files under `root`: a path that does not exist, or an anchor its Markdown file lacks.
 */
export function brokenReferences(root: string, references: readonly DocReference[]): string[] {
  const anchors = new Map<string, Set<string>>();
  const problems: string[] = [];
  for (const reference of references) {
    const { from, line, path, anchor } = reference;
    const where = `${from}:${line}: ${path}${anchor === undefined ? '' : `#${anchor}`}`;
    const absolute = join(root, path);
    if (relative(root, absolute).startsWith('..') || !existsSync(absolute)) {
      problems.push(`${where}: no such file`);
      continue;
    }
    if (anchor === undefined || !path.endsWith('.md') || statSync(absolute).isDirectory()) {
      continue;
    }
    let known = anchors.get(path);
    if (known === undefined) {
      known = anchorsOf(readFileSync(absolute, 'utf8'));
      anchors.set(path, known);
    }
    if (!known.has(anchor)) problems.push(`${where}: no such heading or anchor`);
  }
  return problems;
}
