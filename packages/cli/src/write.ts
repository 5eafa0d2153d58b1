import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { type FileTree, OVERLAY_CHANGES_DIR } from '@plgkit/core';
import { parse } from 'yaml';

/**
 * Writes an overlay's files to `dir` all at once: they are written to a sibling directory first, which then
 * replaces `dir`. A failure leaves `dir` as it was.
 */
export function writeOverlay(dir: string, files: FileTree): void {
  const target = resolve(dir);
  mkdirSync(dirname(target), { recursive: true });
  const staging = join(
    dirname(target),
    `.${basename(target)}.new-${process.pid}`,
  );
  const retired = join(
    dirname(target),
    `.${basename(target)}.old-${process.pid}`,
  );
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const [path, content] of files) {
      mkdirSync(dirname(join(staging, path)), { recursive: true });
      writeFileSync(join(staging, path), content);
    }
    if (existsSync(target)) renameSync(target, retired);
    renameSync(staging, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(retired, { recursive: true, force: true });
  }
}

/** True when `dir` exists and holds anything: `new-overlay` will not replace it without `--force`. */
export function isNonEmptyDir(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).length > 0;
}

/**
 * Why an overlay cannot be written at `dir`, or undefined: it is a file, a file is in its way, or the directory it
 * would be made in takes no writes (a read-only mount, /proc). Tried by making and removing a directory there,
 * because permission bits say nothing to root.
 */
export function overlayDirProblem(dir: string): string | undefined {
  const target = resolve(dir);
  if (existsSync(target) && !statSync(target).isDirectory())
    return `${dir} is a file, not a directory`;
  let parent = dirname(target);
  while (!existsSync(parent)) parent = dirname(parent);
  if (!statSync(parent).isDirectory())
    return `${parent} is a file, so ${dir} cannot be a directory`;
  try {
    rmSync(mkdtempSync(join(parent, '.plgkit-write-test-')), {
      recursive: true,
    });
  } catch (e) {
    return `cannot write in ${parent} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
  return undefined;
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? filesUnder(dir, join(prefix, e.name))
        : [join(prefix, e.name)],
    )
    .sort();
}

/**
 * The files in `dir` that `new-overlay` did not write and would delete: all but its kustomization, `changes/`, and
 * the local resources that kustomization lists when an earlier `new-overlay` wrote it (its first line says so).
 */
export function filesNotOurs(dir: string, files: FileTree): string[] {
  const ours = new Set(files.keys());
  const kustomization = join(dir, 'kustomization.yaml');
  if (existsSync(kustomization)) {
    const text = readFileSync(kustomization, 'utf8');
    if (text.startsWith('# Written by `plgkit new-overlay')) {
      ours.add('kustomization.yaml');
      for (const r of (parse(text) as { resources?: string[] }).resources ?? [])
        if (!r.startsWith('.')) ours.add(r);
    }
  }
  return filesUnder(dir).filter(
    (f) => !ours.has(f) && !f.startsWith(`${OVERLAY_CHANGES_DIR}/`),
  );
}
