// When the quiet server gives memory back (memory-release.ts): only after the resident set grew
// by more than 32 MiB since the last time, in two steps a check apart.
import { describe, expect, it } from 'vitest';
import { MemoryRelease } from '../src/memory-release.ts';

const MiB = 1024 * 1024;

function releaseWith(rss: { now: number }) {
  const calls: string[] = [];
  const release = new MemoryRelease({
    rss: () => rss.now,
    shrink: () => calls.push('shrink'),
    collect: () => calls.push('collect'),
    trim: () => calls.push('trim') > 0,
  });
  return { release, calls };
}

describe('MemoryRelease', () => {
  it('collects, then collects again and trims, once the quiet server grew', () => {
    const rss = { now: 60 * MiB };
    const { release, calls } = releaseWith(rss);
    rss.now = 400 * MiB;
    release.check(false);
    expect(calls).toEqual([]);
    release.check(true);
    expect(calls).toEqual(['shrink', 'collect']);
    rss.now = 120 * MiB;
    release.check(true);
    expect(calls).toEqual(['shrink', 'collect', 'collect', 'trim']);
    // Measured from where the release left it: no more work while it stays there.
    rss.now = 140 * MiB;
    release.check(true);
    release.check(true);
    expect(calls.length).toBe(4);
  });

  it('starts over when traffic comes between the two steps', () => {
    const rss = { now: 60 * MiB };
    const { release, calls } = releaseWith(rss);
    rss.now = 400 * MiB;
    release.check(true);
    expect(calls).toEqual(['shrink', 'collect']);
    // A big request arrives in a quiet gap's wake: the server grows again.
    release.check(false);
    rss.now = 330 * MiB;
    release.check(true);
    // Not the second step's collect-and-trim alone: the buffers are dropped again first.
    expect(calls).toEqual(['shrink', 'collect', 'shrink', 'collect']);
    rss.now = 100 * MiB;
    release.check(true);
    expect(calls).toEqual(['shrink', 'collect', 'shrink', 'collect', 'collect', 'trim']);
  });

  it('leaves small growth alone, and measures growth from the lowest point', () => {
    const rss = { now: 100 * MiB };
    const { release, calls } = releaseWith(rss);
    rss.now = 130 * MiB;
    release.check(true);
    expect(calls).toEqual([]);
    rss.now = 70 * MiB;
    release.check(true);
    rss.now = 110 * MiB;
    release.check(true);
    expect(calls).toEqual(['shrink', 'collect']);
  });
});
