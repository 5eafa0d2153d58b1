import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { alloy } from '@plgkit/alloy';
import { resolveGrafanaOptions } from '@plgkit/grafana';
import { resolveKubeStateMetricsOptions } from '@plgkit/kube-state-metrics';
import { resolveLokiOptions } from '@plgkit/loki';
import { resolveNodeExporterOptions } from '@plgkit/node-exporter';
import { resolvePrometheusOptions } from '@plgkit/prometheus';
import { promtail } from '@plgkit/promtail';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../support/render.js';

/** Each package's options interface and the resolver that applies its defaults. */
const PACKAGES: [string, string, () => object][] = [
  ['prometheus', 'PrometheusOptions', () => resolvePrometheusOptions()],
  ['grafana', 'GrafanaOptions', () => resolveGrafanaOptions()],
  ['loki', 'LokiOptions', () => resolveLokiOptions()],
  ['promtail', 'PromtailOptions', () => promtail.resolve()],
  ['alloy', 'AlloyOptions', () => alloy.resolve()],
  ['node-exporter', 'NodeExporterOptions', () => resolveNodeExporterOptions()],
  [
    'kube-state-metrics',
    'KubeStateMetricsOptions',
    () => resolveKubeStateMetricsOptions(),
  ],
];

/** The interfaces a package's options may extend: core's shared ones. */
const SHARED = join(REPO, 'packages/core/src/log-collector-options.ts');

/** Property → `@default` text of every interface in a source file; an interface that extends one of `shared`'s has
 *  its fields too, its own overriding. */
function documentedDefaults(
  file: string,
  shared: Map<string, Map<string, string | undefined>> = new Map(),
): Map<string, Map<string, string | undefined>> {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.ES2022,
    true,
  );
  const interfaces = new Map<string, Map<string, string | undefined>>();
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node)) return;
    const bases = (node.heritageClauses ?? []).flatMap((h) =>
      h.types.map((t) => t.expression.getText(source)),
    );
    const props = new Map<string, string | undefined>(
      bases.flatMap((b) => [...(shared.get(b) ?? [])]),
    );
    for (const m of node.members) {
      if (!ts.isPropertySignature(m)) continue;
      const tag = ts.getJSDocTags(m).find((t) => t.tagName.text === 'default');
      props.set(
        m.name.getText(source),
        tag ? ts.getTextOfJSDocComment(tag.comment)?.trim() : undefined,
      );
    }
    interfaces.set(node.name.text, props);
  });
  return interfaces;
}

describe.each(PACKAGES)('@plgkit/%s options', (pkg, name, resolveDefaults) => {
  const interfaces = documentedDefaults(
    join(REPO, 'packages', pkg, 'src', 'options.ts'),
    documentedDefaults(SHARED),
  );

  it('document a default on every field of every options interface', () => {
    for (const [iface, props] of interfaces) {
      for (const [prop, tag] of props)
        expect(tag, `${iface}.${prop}`).toBeDefined();
    }
  });

  it(`${name}: each @default is what the resolver applies`, () => {
    const resolved = resolveDefaults() as Record<string, unknown>;
    const props = interfaces.get(name)!;
    expect([...props.keys()].sort()).toEqual(Object.keys(resolved).sort());
    for (const [prop, tag] of props) {
      // "- prose" documents a computed default; the value must still be there.
      if (tag!.startsWith('-')) expect(resolved[prop], prop).toBeDefined();
      else expect(resolved[prop], prop).toEqual(JSON.parse(tag!));
    }
  });
});
