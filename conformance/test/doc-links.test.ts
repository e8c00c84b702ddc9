// Every reference to a document resolves (issue #20, item 5): `spec/<name>.md#<anchor>` in code
// comments, links between the spec's files, and links in docs/ and the READMEs name a file that
// exists and, in a Markdown file, a heading (by GitHub's slug) or an `<a id>` it has.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  anchorsOf,
  brokenReferences,
  codeReferences,
  githubSlug,
  markdownReferences,
  repositoryReferences,
} from '../src/doc-links.ts';
import { repoRoot } from '../src/paths.ts';

// Made-up references are spelled with this, so that the repository scan below does not take
// them for real ones.
const SPEC = 'spec';

describe('GitHub heading slugs', () => {
  it.each([
    ['Handshake over shared memory', 'handshake-over-shared-memory'],
    [
      'Waiting for space, and releasing (the mirror image)',
      'waiting-for-space-and-releasing-the-mirror-image',
    ],
    ['Publishing (producer)', 'publishing-producer'],
    ['`Outbox` and `client_pid`: 2 × 64 KiB', 'outbox-and-client_pid-2--64-kib'],
    ['See [the spec](spec/README.md) — now', 'see-the-spec--now'],
    ['Étape 1. Ça marche', 'étape-1-ça-marche'],
  ])('%s → %s', (heading, slug) => {
    expect(githubSlug(heading)).toBe(slug);
  });

  it('numbers repeated headings, reads <a> ids and names, and skips code fences', () => {
    const markdown = [
      '# Title',
      '## Limits',
      '<a id="wake"></a>',
      '## Limits ##',
      '<a name="old-name"></a>',
      '```sh',
      '# not a heading',
      '```',
      '~~~',
      '## Not one either',
      '~~~',
    ].join('\n');
    expect([...anchorsOf(markdown)].sort()).toEqual(
      ['limits', 'limits-1', 'old-name', 'title', 'wake'].sort(),
    );
  });
});

describe('finding references', () => {
  it('reads written-out paths in code, joining an anchor a comment wrapped', () => {
    const code = [
      '// Liveness (spec/transport.md#liveness), see docs/operations.md.',
      `// Owners (${SPEC}/transport.md#naming-and-`,
      '// permissions). Not packages/x/spec/y.md nor myspec/z.md.',
    ].join('\n');
    expect(codeReferences('a.ts', code)).toEqual([
      { from: 'a.ts', line: 1, path: 'spec/transport.md', anchor: 'liveness' },
      { from: 'a.ts', line: 1, path: 'docs/operations.md' },
      { from: 'a.ts', line: 2, path: 'spec/transport.md', anchor: 'naming-and-permissions' },
    ]);
  });

  it('resolves Markdown links from the file, and skips URLs and code fences', () => {
    const markdown = [
      'See [rings](transport.md#rings), [below](#limits) and [ops](../docs/operations.md).',
      '[home]: ../README.md#top',
      '[web](https://example.org/x.md#y) `spec/errors.md#notfound`',
      '```',
      '[inside](nowhere.md#fence)',
      '```',
    ].join('\n');
    expect(markdownReferences('spec/messages.md', markdown)).toEqual([
      { from: 'spec/messages.md', line: 1, path: 'spec/transport.md', anchor: 'rings' },
      { from: 'spec/messages.md', line: 1, path: 'spec/messages.md', anchor: 'limits' },
      { from: 'spec/messages.md', line: 1, path: 'docs/operations.md' },
      { from: 'spec/messages.md', line: 1, path: 'docs/operations.md' },
      { from: 'spec/messages.md', line: 2, path: 'README.md', anchor: 'top' },
      { from: 'spec/messages.md', line: 3, path: 'spec/errors.md', anchor: 'notfound' },
    ]);
  });

  it('reports a missing file and a missing anchor, and accepts the rest', () => {
    const root = mkdtempSync(join(tmpdir(), 'pdbi-links-'));
    try {
      mkdirSync(join(root, 'spec'));
      writeFileSync(join(root, 'spec', 'a.md'), '# A\n## Rings\n<a id="wake"></a>\n');
      const refs = codeReferences(
        'x.ts',
        ['a.md#rings', 'a.md#wake', 'a.md#handshake', 'b.md#rings', 'a.md']
          .map((target) => `${SPEC}/${target}`)
          .join(' '),
      );
      expect(brokenReferences(root, refs)).toEqual([
        `x.ts:1: ${SPEC}/a.md#handshake: no such heading or anchor`,
        `x.ts:1: ${SPEC}/b.md#rings: no such file`,
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the repository', () => {
  it('has no reference to a missing document, heading or anchor', () => {
    const references = repositoryReferences(repoRoot);
    const anchored = references.filter((reference) => reference.anchor !== undefined);
    console.log(
      `document references: ${references.length} (${anchored.length} with an anchor), in code and Markdown`,
    );
    // A scan that finds next to nothing has stopped scanning, not found the repository clean.
    expect(anchored.length).toBeGreaterThan(300);
    expect(brokenReferences(repoRoot, references)).toEqual([]);
  });
});
