// Runs every panel target and template-variable query of dashboards the way Grafana would, and counts what comes back.
import {
  type DatasourceType,
  lokiStep,
  prometheusStep,
  type QueryWindow,
  replaceLokiBuiltins,
  replacePrometheusBuiltins,
  replaceTemplateVariables,
  type Selection,
} from './interpolate.js';
import type {
  DashboardJson,
  DashboardPanel,
  DashboardTarget,
  DashboardVariable,
  DatasourceRef,
  ProvisionedDatasource,
  QueryResult,
} from './model.js';
import { parseDuration, relativeTime } from './time.js';
import type { FetchJson } from './transport.js';

export interface RunOptions {
  /** The datasources Grafana was provisioned with; targets name theirs by uid. */
  readonly datasources: readonly ProvisionedDatasource[];
  readonly fetchJson: FetchJson;
  /** "Now", in ms since the epoch. */
  readonly now?: number;
  /** The browser width the dashboard is shown at, in pixels: a panel `w` of 24 grid columns wide gets all of it. */
  readonly viewportWidth?: number;
}

/** Grafana's default for a Loki datasource without `maxLines`. */
const DEFAULT_MAX_LINES = 1000;

interface Datasource {
  readonly type: DatasourceType;
  readonly url: string;
  readonly name: string;
  readonly minInterval?: number;
  readonly maxLines: number;
}

function datasourceByUid(
  all: readonly ProvisionedDatasource[],
  ref: DatasourceRef | undefined,
  where: string,
): Datasource {
  const d = ref ? all.find((x) => x.uid === ref.uid) : undefined;
  if (!d)
    throw new Error(
      `${where}: no provisioned datasource has uid ${JSON.stringify(ref?.uid)} (have ${all.map((x) => x.uid).join(', ')})`,
    );
  if (d.type !== 'prometheus' && d.type !== 'loki')
    throw new Error(
      `${where}: datasource ${d.uid} is of type ${d.type}; only prometheus and loki are run`,
    );
  return {
    type: d.type,
    url: d.url.replace(/\/+$/, ''),
    name: d.name,
    minInterval: d.jsonData?.timeInterval
      ? parseDuration(d.jsonData.timeInterval)
      : undefined,
    maxLines: d.jsonData?.maxLines ?? DEFAULT_MAX_LINES,
  };
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** `label_values(label)` or `label_values(selector, label)`; other variable functions are not run here. */
export function parseLabelValues(query: string): {
  selector?: string;
  label: string;
} {
  const m = /^\s*label_values\(\s*(?:(.*\S)\s*,\s*)?(\w+)\s*\)\s*$/.exec(query);
  if (!m)
    throw new Error(
      `variable query ${JSON.stringify(query)} is not label_values(…), the only kind run here`,
    );
  return { selector: m[1], label: m[2]! };
}

/** A template variable's options, from its own query. */
async function variableOptions(
  ds: Datasource,
  query: string,
  w: QueryWindow,
  fetchJson: FetchJson,
): Promise<string[]> {
  const { selector, label } = parseLabelValues(query);
  if (ds.type === 'prometheus') {
    // With no prometheusType/Version in the datasource, Grafana reads label values from the series API.
    if (!selector) {
      const answer = (await fetchJson(
        `${ds.url}/api/v1/label/${label}/values?${new URLSearchParams({ start: seconds(w.from), end: seconds(w.to) })}`,
      )) as { data: string[] };
      return answer.data;
    }
    const params = new URLSearchParams({
      'match[]': selector,
      start: seconds(w.from),
      end: seconds(w.to),
    });
    const answer = (await fetchJson(`${ds.url}/api/v1/series?${params}`)) as {
      data: Array<Record<string, string>>;
    };
    return [
      ...new Set(
        answer.data
          .map((s) => s[label])
          .filter((x): x is string => x !== undefined),
      ),
    ];
  }
  const params = new URLSearchParams({
    start: String(w.from * 1e6),
    end: String(w.to * 1e6),
    ...(selector ? { query: selector } : {}),
  });
  const answer = (await fetchJson(
    `${ds.url}/loki/api/v1/label/${label}/values?${params}`,
  )) as { data?: string[] };
  return answer.data ?? [];
}

/** The variable's default: "All" when it offers All and nothing is saved, else its saved value, else its first option. */
function defaultSelection(
  v: DashboardVariable,
  options: readonly string[],
): Selection {
  const saved = v.current?.value;
  const savedValues =
    saved === undefined ? [] : Array.isArray(saved) ? saved : [saved];
  const all =
    savedValues.includes('$__all') ||
    (savedValues.length === 0 && !!v.includeAll);
  if (all)
    return {
      all: true,
      values: options,
      ...(v.allValue ? { allValue: v.allValue } : {}),
    };
  return {
    all: false,
    values: savedValues.length > 0 ? savedValues : options.slice(0, 1),
  };
}

function isInstant(t: DashboardTarget): boolean {
  return t.queryType === 'instant' || (t.instant === true && t.range !== true);
}

async function runTarget(
  ds: Datasource,
  t: DashboardTarget,
  expr: string,
  w: QueryWindow,
  fetchJson: FetchJson,
): Promise<Omit<QueryResult, 'dashboard' | 'panel' | 'refId' | 'datasource'>> {
  const instant = isInstant(t);
  if (ds.type === 'prometheus') {
    const query = replacePrometheusBuiltins(expr, w);
    const step = prometheusStep(w);
    // Grafana aligns the range to the step, rounding both ends down.
    const params = instant
      ? new URLSearchParams({ query, time: seconds(w.to) })
      : new URLSearchParams({
          query,
          start: seconds(Math.floor(w.from / step) * step),
          end: seconds(Math.floor(w.to / step) * step),
          step: String(step / 1000),
        });
    const answer = (await fetchJson(
      `${ds.url}/api/v1/${instant ? 'query' : 'query_range'}?${params}`,
    )) as { data: { result: Array<{ values?: unknown[]; value?: unknown }> } };
    return {
      query,
      unit: 'series',
      count: answer.data.result.filter(
        (r) => (r.values?.length ?? 0) > 0 || r.value !== undefined,
      ).length,
    };
  }
  const query = replaceLokiBuiltins(expr, w, instant ? 'instant' : 'range');
  const params = instant
    ? new URLSearchParams({
        query,
        time: String(w.to * 1e6),
        limit: String(ds.maxLines),
      })
    : new URLSearchParams({
        query,
        start: String(w.from * 1e6),
        end: String(w.to * 1e6),
        step: `${lokiStep(w) / 1000}s`,
        limit: String(ds.maxLines),
        direction: 'backward',
      });
  const answer = (await fetchJson(
    `${ds.url}/loki/api/v1/${instant ? 'query' : 'query_range'}?${params}`,
  )) as {
    data: {
      resultType: string;
      result: Array<{ values?: unknown[]; value?: unknown }>;
    };
  };
  if (answer.data.resultType === 'streams')
    return {
      query,
      unit: 'lines',
      count: answer.data.result.reduce(
        (n, r) => n + (r.values?.length ?? 0),
        0,
      ),
    };
  return {
    query,
    unit: 'series',
    count: answer.data.result.filter(
      (r) => (r.values?.length ?? 0) > 0 || r.value !== undefined,
    ).length,
  };
}

/** Panels inside rows as well as top-level ones. */
function allPanels(panels: readonly DashboardPanel[]): DashboardPanel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}

/**
 * Every template variable's query (with the variables before it at their defaults), then every panel target with
 * every variable at its default, over the dashboard's default time range. One result per query; a query that
 * fails is a result with `error`, so one bad panel does not hide the others.
 */
export async function runDashboard(
  d: DashboardJson,
  o: RunOptions,
): Promise<QueryResult[]> {
  const now = o.now ?? Date.now();
  const viewport = o.viewportWidth ?? 1920;
  const from = relativeTime(d.time.from, now);
  const to = relativeTime(d.time.to, now);
  const results: QueryResult[] = [];
  const selections = new Map<string, Selection>();
  for (const v of d.templating?.list ?? []) {
    if (v.type === 'textbox') {
      // Its saved text, else its default (`query`): nothing to run.
      const saved = v.current?.value;
      const text = typeof saved === 'string' ? saved : String(v.query ?? '');
      selections.set(v.name, { all: false, values: [text], single: true });
      continue;
    }
    if (v.type !== 'query')
      throw new Error(
        `${d.title}: variable $${v.name} is of type ${v.type}; only query and textbox variables are run`,
      );
    const where = `${d.title}: $${v.name}`;
    const ds = datasourceByUid(o.datasources, v.datasource, where);
    const raw = typeof v.query === 'string' ? v.query : v.query.query;
    const query = replaceTemplateVariables(raw, selections, ds.type);
    const w: QueryWindow = {
      from,
      to,
      maxDataPoints: viewport,
      minInterval: ds.minInterval,
    };
    let options: string[] = [];
    let error: string | undefined;
    try {
      options = [...(await variableOptions(ds, query, w, o.fetchJson))].sort();
    } catch (e) {
      error = (e as Error).message;
    }
    results.push({
      dashboard: d.title,
      panel: `$${v.name}`,
      datasource: ds.name,
      query,
      unit: 'values',
      count: options.length,
      ...(error ? { error } : {}),
    });
    selections.set(v.name, defaultSelection(v, options));
  }
  for (const panel of allPanels(d.panels)) {
    for (const t of panel.targets ?? []) {
      if (t.hide) continue;
      const ds = datasourceByUid(
        o.datasources,
        t.datasource ?? panel.datasource,
        `${d.title}: ${panel.title} ${t.refId}`,
      );
      const maxDataPoints =
        panel.maxDataPoints ?? Math.round((panel.gridPos.w / 24) * viewport);
      const w: QueryWindow = {
        from,
        to,
        maxDataPoints,
        minInterval: ds.minInterval,
      };
      const expr = replaceTemplateVariables(t.expr, selections, ds.type);
      try {
        const r = await runTarget(ds, t, expr, w, o.fetchJson);
        results.push({
          dashboard: d.title,
          panel: panel.title,
          refId: t.refId,
          datasource: ds.name,
          ...r,
          ...(panel.description ? { description: panel.description } : {}),
        });
      } catch (e) {
        results.push({
          dashboard: d.title,
          panel: panel.title,
          refId: t.refId,
          datasource: ds.name,
          query: expr,
          unit: ds.type === 'loki' ? 'lines' : 'series',
          count: 0,
          error: (e as Error).message,
          ...(panel.description ? { description: panel.description } : {}),
        });
      }
    }
  }
  return results;
}

export async function runDashboards(
  dashboards: readonly DashboardJson[],
  o: RunOptions,
): Promise<QueryResult[]> {
  const results: QueryResult[] = [];
  for (const d of dashboards) results.push(...(await runDashboard(d, o)));
  return results;
}
