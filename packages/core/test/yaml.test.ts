import { describe, expect, it } from 'vitest';
import { toYaml } from '../src/index.js';

describe('toYaml', () => {
  it('puts apiVersion, kind, metadata first and sorts the rest, at every depth, for objects', () => {
    const text = toYaml(
      {
        spec: { b: 1, a: 2 },
        metadata: { name: 'x' },
        kind: 'K',
        apiVersion: 'v1',
      },
      { sort: true },
    );
    expect(text).toBe(
      'apiVersion: v1\nkind: K\nmetadata:\n  name: x\nspec:\n  a: 2\n  b: 1\n',
    );
  });

  it('keeps the builder order for config files and drops undefined', () => {
    expect(
      toYaml({ job_name: 'a', scheme: undefined, metrics_path: '/m' }),
    ).toBe('job_name: a\nmetrics_path: /m\n');
  });

  it('quotes strings that YAML 1.1 readers would take for booleans or numbers', () => {
    expect(toYaml({ a: 'on', b: 'yes', c: '0755', d: 'true' })).toBe(
      'a: "on"\nb: "yes"\nc: "0755"\nd: "true"\n',
    );
  });

  it('never folds long lines', () => {
    const expr = `sum by (pod) (rate(${'x'.repeat(200)}[5m]))`;
    expect(toYaml({ expr })).toBe(`expr: ${expr}\n`);
  });
});
