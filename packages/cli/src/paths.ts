import { relative, resolve, sep } from 'node:path';

/** The path from directory `from` to `to`, with `/` separators as kustomization files want on every OS. */
export function relativePath(from: string, to: string): string {
  return relative(resolve(from), resolve(to)).split(sep).join('/');
}
