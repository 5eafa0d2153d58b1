import { join } from 'node:path';
import { diffEmitted, type PackageOutput, renderPackage } from '@plgkit/core';
import { grafanaOutput } from '@plgkit/grafana';
import { lokiOutput } from '@plgkit/loki';
import { prometheusOutput } from '@plgkit/prometheus';
import { promtailOutput } from '@plgkit/promtail';
import { describe, expect, it } from 'vitest';
import { REPO } from '../lib/render.js';

export const PACKAGES: Record<string, () => PackageOutput> = {
  grafana: grafanaOutput,
  loki: lokiOutput,
  prometheus: prometheusOutput,
  promtail: promtailOutput,
};

describe('committed bases match the generators', () => {
  it.each(Object.entries(PACKAGES))('packages/%s', (name, output) => {
    // Fails with the files to regenerate: run `pnpm build` and commit the result.
    expect(diffEmitted(join(REPO, 'packages', name), renderPackage(output()))).toEqual([]);
  });

  it('renders byte-identical output on every run', () => {
    for (const output of Object.values(PACKAGES)) expect(renderPackage(output())).toEqual(renderPackage(output()));
  });
});
