import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { overlayOptionsSchema } from '@plgkit/cli';
import { diffEmitted, renderPackage, toJson } from '@plgkit/core';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../support/render.js';
import { PACKAGES } from './packages.js';

describe('committed bases match the generators', () => {
  it.each(Object.entries(PACKAGES))('packages/%s', (name, output) => {
    // Fails with the files to regenerate: run `pnpm build` and commit the result.
    expect(
      diffEmitted(join(REPO, 'packages', name), renderPackage(output())),
    ).toEqual([]);
  });

  it('packages/cli: the published overlay options schema', () => {
    expect(
      readFileSync(
        join(REPO, 'packages/cli/schema/options.schema.json'),
        'utf8',
      ),
    ).toBe(toJson(overlayOptionsSchema));
  });

  it('renders byte-identical output on every run', () => {
    for (const output of Object.values(PACKAGES))
      expect(renderPackage(output())).toEqual(renderPackage(output()));
  });
});
