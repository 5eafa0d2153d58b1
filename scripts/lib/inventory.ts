// The metric inventory: every metric name a bundled dashboard query or a rule expression reads, found with the
// PromQL parser Prometheus's own UI uses, so "No Data" can be caught before a user opens the dashboard.
import type { SyntaxNode } from '@lezer/common';
import { bundledDashboards, panelsOf, variablesOf } from '@plgkit/grafana';
import { ruleFiles } from '@plgkit/prometheus';
import { parser } from '@prometheus-io/lezer-promql';

/** One metric read by one query, and where that query lives. */
export interface MetricUse {
  readonly metric: string;
  /** e.g. `dashboard pod-resources.json, panel "Memory"` or `rule ContainerOomKilled`. */
  readonly source: string;
  readonly expr: string;
}

/** Series Prometheus makes itself, not read from any target. */
export const SYNTHETIC_METRICS: ReadonlySet<string> = new Set([
  'ALERTS',
  'ALERTS_FOR_STATE',
]);

// Grafana replaces these before the query reaches Prometheus; any valid range stands in for them.
const GRAFANA_INTERVALS = /\$__(auto|rate_interval|interval|range)\b/g;

const unquote = (s: string): string =>
  JSON.parse(
    s.startsWith("'") ? `"${s.slice(1, -1).replace(/"/g, '\\"')}"` : s,
  ) as string;

/** The metric names a PromQL expression selects. Throws when it does not parse or selects names by regex. */
export function metricNames(expr: string): string[] {
  const text = expr.replace(GRAFANA_INTERVALS, '5m');
  const tree = parser.parse(text);
  const names = new Set<string>();
  const at = (n: SyntaxNode) => text.slice(n.from, n.to);
  tree.iterate({
    enter(ref) {
      if (ref.type.isError)
        throw new Error(
          `does not parse as PromQL at column ${ref.from + 1}: ${expr}`,
        );
      if (ref.name !== 'VectorSelector') return;
      const node = ref.node;
      const identifier = node.getChild('Identifier');
      if (identifier) names.add(at(identifier));
      const matchers = node.getChild('LabelMatchers');
      // `{"name"}`: the UTF-8 form of a metric name.
      for (const quoted of matchers?.getChildren('QuotedLabelName') ?? [])
        names.add(unquote(at(quoted)));
      for (const m of matchers?.getChildren('UnquotedLabelMatcher') ?? []) {
        if (at(m.getChild('LabelName')!) !== '__name__') continue;
        if (!m.getChild('MatchOp')?.getChild('EqlSingle'))
          throw new Error(
            `selects metric names by pattern, which no inventory can check: ${expr}`,
          );
        names.add(unquote(at(m.getChild('StringLiteral')!)));
      }
    },
  });
  return [...names].sort();
}

/**
 * The PromQL inside a Grafana variable query: `label_values(<selector>, <label>)` or `query_result(<expr>)`.
 * `label_values(<label>)` reads no particular metric.
 */
export function variableExpr(query: string): string | undefined {
  const labelValues = /^label_values\((.+),\s*[A-Za-z_]\w*\s*\)$/s.exec(
    query.trim(),
  );
  if (labelValues) return labelValues[1];
  const queryResult = /^query_result\((.+)\)$/s.exec(query.trim());
  if (queryResult) return queryResult[1];
  if (/^label_values\(\s*[A-Za-z_]\w*\s*\)$/.test(query.trim()))
    return undefined;
  throw new Error(`unknown Grafana variable query: ${query}`);
}

function uses(expr: string, source: string): MetricUse[] {
  try {
    return metricNames(expr).map((metric) => ({ metric, source, expr }));
  } catch (e) {
    throw new Error(`${source}: ${(e as Error).message}`);
  }
}

/** Every Prometheus query of every bundled dashboard: panel targets and variable queries. */
export function dashboardUses(): MetricUse[] {
  return Object.entries(bundledDashboards()).flatMap(([file, d]) => [
    ...variablesOf(d)
      .filter((v) => v.datasource.type === 'prometheus')
      .flatMap((v) => {
        const expr = variableExpr(v.query);
        return expr ? uses(expr, `dashboard ${file}, variable $${v.name}`) : [];
      }),
    ...panelsOf(d).flatMap((p) =>
      p.targets
        .filter((t) => t.datasource.type === 'prometheus')
        .flatMap((t) => uses(t.expr, `dashboard ${file}, panel "${p.title}"`)),
    ),
  ]);
}

/** Every rule expression of the generator's rule files, and the names its recording rules make. */
export function ruleUses(): { uses: MetricUse[]; recorded: Set<string> } {
  const rules = Object.values(ruleFiles()).flatMap((f) =>
    f.groups.flatMap((g) => g.rules),
  );
  return {
    uses: rules.flatMap((r) =>
      uses(
        r.expr,
        'alert' in r ? `rule ${r.alert}` : `recording rule ${r.record}`,
      ),
    ),
    recorded: new Set(rules.flatMap((r) => ('record' in r ? [r.record] : []))),
  };
}

/** What the bundled dashboards and rules read that must come from a scrape: not recorded, not synthetic. */
export function neededMetrics(): MetricUse[] {
  const rules = ruleUses();
  return [...dashboardUses(), ...rules.uses].filter(
    (u) => !rules.recorded.has(u.metric) && !SYNTHETIC_METRICS.has(u.metric),
  );
}

/** The uses whose metric is not among the stored names, one line each: metric, then who needs it. */
export function missingMetrics(
  needed: readonly MetricUse[],
  stored: ReadonlySet<string>,
): string[] {
  return needed
    .filter((u) => !stored.has(u.metric))
    .map((u) => `${u.metric} (${u.source})`);
}
