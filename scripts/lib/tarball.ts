// What a package's README promises its tarball holds, and what the tarball does hold.
import { execFileSync } from 'node:child_process';
import { markdownSection } from '../../support/markdown.js';

/** The paths listed under a README's "## In this package" heading, as `- \`path\`` lines. */
export function promisedFiles(readme: string): string[] {
  return [
    ...markdownSection(readme, 'In this package').matchAll(/^- `([^`]+)`/gm),
  ].map((m) => m[1]!);
}

/** The files of a packed tarball, relative to its `package/` root. */
export function tarballEntries(tarball: string): string[] {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((e) => e.replace(/^package\//, ''));
}

/** Promised files the tarball lacks; empty when it keeps every promise. */
export function missingFromTarball(
  readme: string,
  entries: readonly string[],
): string[] {
  const have = new Set(entries);
  return promisedFiles(readme).filter((f) => !have.has(f));
}
