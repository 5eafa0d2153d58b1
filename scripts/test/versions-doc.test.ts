// The README's Versions table names exactly the image each package pins in its versions.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markdownSection } from '../../support/markdown.js';
import { STACK } from '../../support/versions.js';

const README = readFileSync(
  join(import.meta.dirname, '../../README.md'),
  'utf8',
);
const section = markdownSection(README, 'Versions');

describe('the README on versions', () => {
  it('lists every pinned image, and no other', () => {
    const listed = [...section.matchAll(/^\| [^|]+ \| `([^`]+)` \|/gm)].map(
      (m) => m[1],
    );
    expect(listed.sort()).toEqual(
      Object.values(STACK)
        .map((s) => s.image)
        .sort(),
    );
  });

  it('says that Promtail is end of life and names its successor', () => {
    expect(section).toMatch(
      /Promtail \| `[^`]+` \| \*\*end of life since 2026-03-02\*\*.*Grafana Alloy/,
    );
  });
});
