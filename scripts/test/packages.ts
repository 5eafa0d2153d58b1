import { STACK } from '@plgkit/cli';
import type { PackageOutput } from '@plgkit/core';

/** Every component package by directory name, with the function its emit step writes. */
export const PACKAGES: Record<string, (options?: never) => PackageOutput> =
  Object.fromEntries(
    STACK.map((c) => [
      c.packageName.replace('@plgkit/', ''),
      c.output as (options?: never) => PackageOutput,
    ]),
  );
