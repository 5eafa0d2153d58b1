import { LOKI_UID, PROMETHEUS_UID } from '../datasources.js';

// Grafana dashboard JSON, typed: only the fields plgkit writes.
// https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/

export interface DatasourceRef {
  type: 'prometheus' | 'loki';
  uid: string;
}

export const PROMETHEUS: DatasourceRef = { type: 'prometheus', uid: PROMETHEUS_UID };
export const LOKI: DatasourceRef = { type: 'loki', uid: LOKI_UID };

export interface Target {
  refId: string;
  datasource: DatasourceRef;
  expr: string;
  legendFormat?: string;
  queryType?: 'range';
}

export interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Panel {
  id: number;
  type: 'timeseries' | 'logs' | 'stat' | 'bargauge';
  title: string;
  description?: string;
  datasource: DatasourceRef;
  gridPos: GridPos;
  targets: Target[];
  fieldConfig: { defaults: { unit?: string; min?: number; max?: number }; overrides: unknown[] };
  options?: Record<string, unknown>;
}

export interface Variable {
  name: string;
  label: string;
  type: 'query';
  datasource: DatasourceRef;
  query: string;
  refresh: 2;
  includeAll: true;
  multi: true;
  allValue: '.*' | '.+';
  current: Record<string, never>;
  sort: 1;
}

export interface Dashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  editable: false;
  schemaVersion: 39;
  version: 1;
  time: { from: string; to: string };
  refresh: string;
  timezone: 'browser';
  templating: { list: Variable[] };
  panels: Panel[];
}

/** What a panel shows; `dashboard()` assigns ids and places it. */
export interface PanelSpec {
  type?: Panel['type'];
  title: string;
  description?: string;
  datasource?: DatasourceRef;
  /** One query per entry: the PromQL or LogQL expression and its legend. */
  queries: { expr: string; legend?: string }[];
  unit?: string;
  /** Width in grid columns (of 24); default 12. */
  width?: number;
  height?: number;
  options?: Record<string, unknown>;
}

/**
 * A multi-value variable filled from a label's values. "All" is a regex rather than the list of values, so the
 * query stays short. Loki refuses a selector whose every matcher also matches the empty string (`{namespace=~".*"}`
 * is a 400 "queries require at least one regexp or equality matcher that does not have an empty-compatible
 * value"), so its All is `.+`.
 */
export function variable(name: string, datasource: DatasourceRef, query: string): Variable {
  return {
    name,
    label: name,
    type: 'query',
    datasource,
    query,
    refresh: 2,
    includeAll: true,
    multi: true,
    allValue: datasource.type === 'loki' ? '.+' : '.*',
    current: {},
    sort: 1,
  };
}

/** Lays panels out left to right, top to bottom, and numbers them. */
export function dashboard(d: { uid: string; title: string; description: string; variables: Variable[]; panels: PanelSpec[] }): Dashboard {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const panels = d.panels.map((p, i): Panel => {
    const w = p.width ?? 12;
    const h = p.height ?? 8;
    if (x + w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const gridPos = { x, y, w, h };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    const datasource = p.datasource ?? PROMETHEUS;
    return {
      id: i + 1,
      type: p.type ?? 'timeseries',
      title: p.title,
      description: p.description,
      datasource,
      gridPos,
      targets: p.queries.map((q, j) => ({
        refId: String.fromCharCode(65 + j),
        datasource,
        expr: q.expr,
        legendFormat: q.legend,
      })),
      fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
      options: p.options,
    };
  });
  return {
    uid: d.uid,
    title: d.title,
    description: d.description,
    tags: ['plgkit'],
    editable: false,
    schemaVersion: 39,
    version: 1,
    time: { from: 'now-1h', to: 'now' },
    refresh: '30s',
    timezone: 'browser',
    templating: { list: d.variables },
    panels,
  };
}
