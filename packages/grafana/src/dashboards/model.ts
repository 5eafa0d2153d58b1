import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dash from '@grafana/grafana-foundation-sdk/dashboard';
import * as logs from '@grafana/grafana-foundation-sdk/logs';
import * as loki from '@grafana/grafana-foundation-sdk/loki';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { LOKI_UID, PROMETHEUS_UID } from '../datasources.js';

// The bundled dashboards are built with Grafana's own typed builders (@grafana/grafana-foundation-sdk, generated from
// Grafana's schema; v0.0.21 targets Grafana 13, schemaVersion 42). This file only says what a plgkit panel is: a
// title, a datasource, its queries, a unit and a size; the SDK lays the panels out and writes the JSON model.
// https://grafana.com/docs/grafana/latest/as-code/observability-as-code/foundation-sdk/

export type Dashboard = dash.Dashboard;

export interface DatasourceRef {
  type: 'prometheus' | 'loki';
  uid: string;
}

export const PROMETHEUS: DatasourceRef = {
  type: 'prometheus',
  uid: PROMETHEUS_UID,
};
export const LOKI: DatasourceRef = { type: 'loki', uid: LOKI_UID };

/** What a panel shows; `dashboard()` builds it, numbers it, and the SDK places it. */
export interface PanelSpec {
  type?: 'timeseries' | 'logs' | 'stat' | 'bargauge';
  title: string;
  /** What the panel answers, and what to do when it looks bad: Grafana shows it under the panel's (i) icon. */
  description: string;
  datasource?: DatasourceRef;
  /** One query per entry: the PromQL or LogQL expression and its legend. */
  queries: { expr: string; legend?: string }[];
  unit?: string;
  /** Width in grid columns (of 24); default 12. */
  width?: number;
  height?: number;
  /** Links from a clicked series to other plgkit dashboards (Grafana's data links). */
  links?: DataLink[];
  /** Options of a logs panel. */
  logs?: {
    showTime: boolean;
    wrapLogMessage: boolean;
    sortOrder: 'Descending' | 'Ascending';
    enableLogDetails: boolean;
  };
}

/**
 * A link from a series to another plgkit dashboard: each of its variables set from a label of the clicked series, the
 * time range kept (Grafana's data link variables `${__field.labels.<label>}` and `${__url_time_range}`).
 */
export interface DataLink {
  readonly title: string;
  /** The uid of the dashboard it opens. */
  readonly uid: string;
  /** Its variables, each to the clicked series' label of that name. */
  readonly variables: readonly string[];
}

/** A data link's URL, as Grafana resolves it when the series is clicked. */
export function dataLinkUrl(l: DataLink): string {
  const vars = l.variables.map((v) => `var-${v}=\${__field.labels.${v}}`);
  return `/d/${l.uid}?${[...vars, '${__url_time_range}'].join('&')}`;
}

/**
 * A multi-value variable filled from a label's values. "All" is a regex rather than the list of values, so the
 * query stays short. Loki refuses a selector whose every matcher also matches the empty string (`{namespace=~".*"}`
 * is a 400 "queries require at least one regexp or equality matcher that does not have an empty-compatible
 * value"), so its All is `.+`.
 */
export function variable(
  name: string,
  datasource: DatasourceRef,
  query: string,
): dash.QueryVariableBuilder {
  return new dash.QueryVariableBuilder(name)
    .label(name)
    .datasource(datasource)
    .query(query)
    .refresh(dash.VariableRefresh.OnTimeRangeChanged)
    .includeAll(true)
    .multi(true)
    .allValue(datasource.type === 'loki' ? '.+' : '.*')
    .sort(dash.VariableSort.AlphabeticalAsc);
}

/**
 * A free-text variable, empty by default. Its value reaches Loki as typed, but for `'` (Grafana's
 * `lokiRegularEscape` for a variable that is neither multi-value nor "All"): put it in a backquoted string, where
 * nothing else needs escaping.
 */
export function textbox(
  name: string,
  label: string,
  description: string,
): dash.TextBoxVariableBuilder {
  return new dash.TextBoxVariableBuilder(name)
    .label(label)
    .description(description)
    .defaultValue('');
}

type AnyPanelBuilder =
  | timeseries.PanelBuilder
  | stat.PanelBuilder
  | bargauge.PanelBuilder
  | logs.PanelBuilder;

function panelBuilder(p: PanelSpec): AnyPanelBuilder {
  switch (p.type ?? 'timeseries') {
    case 'stat':
      return new stat.PanelBuilder();
    case 'bargauge':
      return new bargauge.PanelBuilder();
    case 'logs': {
      const l = p.logs;
      const b = new logs.PanelBuilder();
      return l
        ? b
            .showTime(l.showTime)
            .wrapLogMessage(l.wrapLogMessage)
            .sortOrder(l.sortOrder as never)
            .enableLogDetails(l.enableLogDetails)
        : b;
    }
    default:
      // The SDK's default hides the legend, which names each series ({{pod}}/{{container}}): show it, as Grafana does.
      return new timeseries.PanelBuilder().legend(
        new common.VizLegendOptionsBuilder()
          .showLegend(true)
          .displayMode(common.LegendDisplayMode.List)
          .placement(common.LegendPlacement.Bottom),
      );
  }
}

function query(
  datasource: DatasourceRef,
  refId: string,
  q: { expr: string; legend?: string },
): prometheus.DataqueryBuilder | loki.DataqueryBuilder {
  const b =
    datasource.type === 'loki'
      ? new loki.DataqueryBuilder()
      : new prometheus.DataqueryBuilder();
  b.refId(refId).datasource(datasource).expr(q.expr);
  if (q.legend !== undefined) b.legendFormat(q.legend);
  return b;
}

function panel(p: PanelSpec, id: number): AnyPanelBuilder {
  const datasource = p.datasource ?? PROMETHEUS;
  const b = panelBuilder(p)
    .id(id)
    .title(p.title)
    .datasource(datasource)
    .description(p.description)
    .span(p.width ?? 12)
    .height(p.height ?? 8);
  if (p.unit) b.unit(p.unit);
  if (p.links?.length)
    b.dataLinks(
      p.links.map((l) =>
        new dash.DashboardLinkBuilder(l.title)
          .type(dash.DashboardLinkType.Link)
          .url(dataLinkUrl(l)),
      ),
    );
  for (const [j, q] of p.queries.entries())
    b.withTarget(query(datasource, String.fromCharCode(65 + j), q));
  return b;
}

/** A dashboard of plgkit's: read-only, tagged, the last hour refreshed every 30 s; panels left to right, top to bottom. */
export function dashboard(d: {
  uid: string;
  title: string;
  description: string;
  variables: Array<dash.QueryVariableBuilder | dash.TextBoxVariableBuilder>;
  panels: PanelSpec[];
}): Dashboard {
  const b = new dash.DashboardBuilder(d.title)
    .uid(d.uid)
    .description(d.description)
    .tags(['plgkit'])
    .readonly()
    .version(1)
    .time({ from: 'now-1h', to: 'now' })
    .refresh('30s')
    .timezone('browser');
  for (const v of d.variables) b.withVariable(v);
  for (const [i, p] of d.panels.entries()) b.withPanel(panel(p, i + 1));
  return b.build();
}

/** A panel target as plgkit writes it: its refId, datasource and expression. */
export interface Target {
  refId: string;
  datasource: DatasourceRef;
  expr: string;
  legendFormat?: string;
}

/** The queries of a dashboard's panels (not rows), as the query runner and the metric inventory read them. */
export function panelsOf(
  d: Dashboard,
): Array<{ title: string; targets: Target[] }> {
  return (d.panels ?? [])
    .filter((p): p is dash.Panel => p.type !== 'row')
    .map((p) => ({
      title: p.title ?? '',
      targets: (p.targets ?? []) as unknown as Target[],
    }));
}

/** A dashboard's query variables, as plgkit writes them. */
export function variablesOf(d: Dashboard): Array<{
  name: string;
  datasource: DatasourceRef;
  query: string;
  allValue?: string;
}> {
  // Query variables only: a textbox asks nothing of a datasource.
  return (d.templating.list ?? [])
    .filter((v) => v.type === 'query')
    .map((v) => ({
      name: v.name,
      datasource: v.datasource as DatasourceRef,
      query: String(v.query),
      allValue: v.allValue,
    }));
}
