// Reading the repository's Markdown (READMEs, docs) in tests: a section by its heading, and fenced code blocks.

/** The `## heading` section of `text`, from its heading line up to the next `## `; throws when it is missing. */
export function markdownSection(text: string, heading: string): string {
  const escaped = heading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const start = text.search(new RegExp(`^## ${escaped}$`, 'm'));
  if (start < 0) throw new Error(`no "## ${heading}" section`);
  const next = text.slice(start + 1).search(/^## /m);
  return text.slice(start, next < 0 ? undefined : start + 1 + next);
}

/** The fenced code blocks of one language in a README, in order. */
export function codeBlocks(readme: string, language: string): string[] {
  return [
    ...readme.matchAll(
      new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\``, 'gm'),
    ),
  ].map((m) => m[1]!);
}
