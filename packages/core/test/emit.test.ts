import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  diffEmitted,
  emitPackage,
  type PackageOutput,
  readEmitted,
  renderPackage,
  writeEmitted,
} from '../src/index.js';

const output = (name = 'demo'): PackageOutput => ({
  base: {
    namespace: 'monitoring',
    resources: [
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name, namespace: 'monitoring' },
      },
    ],
    configMapGenerators: [
      { name: `${name}-config`, files: { 'demo.yaml': 'a: 1\n' } },
    ],
  },
  components: {
    extra: {
      configMapGenerators: [
        {
          name: `${name}-config`,
          behavior: 'merge',
          files: { 'demo.yaml': 'a: 2\n' },
        },
      ],
      patches: [
        {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name },
          automountServiceAccountToken: false,
        },
      ],
    },
  },
  optionsSchema: { type: 'object' },
});

const tmp = () => mkdtempSync(join(tmpdir(), 'plgkit-emit-'));

describe('emit', () => {
  it('writes kustomization.yaml, one file per object, generator files, components and the schema', () => {
    expect([...renderPackage(output()).keys()]).toEqual([
      'base/demo-config/demo.yaml',
      'base/kustomization.yaml',
      'base/serviceaccount-demo.yaml',
      'components/extra/demo-config/demo.yaml',
      'components/extra/kustomization.yaml',
      'components/extra/serviceaccount-demo.patch.yaml',
      'schema/options.schema.json',
    ]);
    expect(renderPackage(output()).get('base/kustomization.yaml')).toBe(
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'namespace: monitoring',
        'resources:',
        '  - serviceaccount-demo.yaml',
        'configMapGenerator:',
        '  - name: demo-config',
        '    files:',
        '      - demo-config/demo.yaml',
        '',
      ].join('\n'),
    );
    expect(
      renderPackage(output()).get('components/extra/kustomization.yaml'),
    ).toMatch(
      /kind: Component\n[\s\S]*behavior: merge[\s\S]*patches:\n {2}- path: serviceaccount-demo.patch.yaml\n {4}target:\n {6}kind: ServiceAccount\n {6}name: demo\n/,
    );
  });

  it('refuses two objects that would share a file', () => {
    const o = output();
    const twice = {
      ...o,
      base: {
        ...o.base,
        resources: [...o.base.resources, ...o.base.resources],
      },
    };
    expect(() => renderPackage(twice)).toThrow(
      /two objects would be written to base\/serviceaccount-demo.yaml/,
    );
  });

  it('writes, then replaces whole directories, leaving nothing stale', () => {
    const dir = tmp();
    emitPackage(dir, () => output('first'));
    emitPackage(dir, () => output('second'));
    expect(diffEmitted(dir, renderPackage(output('second')))).toEqual([]);
    expect(readdirSync(join(dir, 'base')).sort()).toEqual([
      'kustomization.yaml',
      'second-config',
      'serviceaccount-second.yaml',
    ]);
    expect(readdirSync(dir).filter((f) => f.startsWith('.emit'))).toEqual([]);
  });

  it('leaves the previous output byte-identical when rendering fails', () => {
    const dir = tmp();
    emitPackage(dir, () => output());
    const before = readEmitted(dir);
    expect(() =>
      emitPackage(dir, () => {
        throw new Error('bad options');
      }),
    ).toThrow('bad options');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() =>
      emitPackage(dir, () => ({ ...output(), optionsSchema: circular })),
    ).toThrow();
    expect(readEmitted(dir)).toEqual(before);
    expect(readdirSync(dir).filter((f) => f.startsWith('.emit'))).toEqual([]);
  });

  it('reports missing, changed and extra files', () => {
    const dir = tmp();
    writeEmitted(dir, renderPackage(output()));
    writeFileSync(join(dir, 'base/kustomization.yaml'), 'changed');
    writeFileSync(join(dir, 'base/extra.yaml'), 'x');
    cpSync(join(dir, 'schema'), join(dir, 'schema-copy'), { recursive: true });
    const expected = renderPackage(output());
    expected.set('base/new.yaml', 'n');
    expect(diffEmitted(dir, expected)).toEqual([
      'changed base/kustomization.yaml',
      'missing base/new.yaml',
      'extra base/extra.yaml',
    ]);
    expect(readFileSync(join(dir, 'base/extra.yaml'), 'utf8')).toBe('x');
  });
});
