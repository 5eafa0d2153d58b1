// What the query runner reads: Grafana's provisioned datasources file and dashboard JSON, as far as it needs them.
// https://grafana.com/docs/grafana/latest/administration/provisioning/#data-sources
// https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/

export interface ProvisionedDatasource {
  name: string;
  type: string;
  uid: string;
  url: string;
  jsonData?: { timeInterval?: string; maxLines?: number };
}

export interface DatasourcesFile {
  datasources: ProvisionedDatasource[];
}

export interface DatasourceRef {
  type?: string;
  uid: string;
}

export interface DashboardTarget {
  refId: string;
  datasource?: DatasourceRef;
  expr: string;
  instant?: boolean;
  range?: boolean;
  queryType?: 'range' | 'instant';
  hide?: boolean;
}

export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  description?: string;
  datasource?: DatasourceRef;
  gridPos: { w: number };
  targets?: DashboardTarget[];
  maxDataPoints?: number;
  panels?: DashboardPanel[];
}

export interface DashboardVariable {
  name: string;
  type: string;
  datasource?: DatasourceRef;
  query: string | { query: string };
  includeAll?: boolean;
  multi?: boolean;
  allValue?: string | null;
  current?: { value?: string | string[] };
}

export interface DashboardJson {
  uid: string;
  title: string;
  time: { from: string; to: string };
  templating?: { list: DashboardVariable[] };
  panels: DashboardPanel[];
}

/** One query the runner ran, and what came back. */
export interface QueryResult {
  readonly dashboard: string;
  /** The panel's title, or `$name` for a template variable's own query. */
  readonly panel: string;
  readonly refId?: string;
  readonly datasource: string;
  /** The query as sent, after interpolation. */
  readonly query: string;
  /** Series (metrics), lines (logs) or values (a variable's options). */
  readonly unit: 'series' | 'lines' | 'values';
  readonly count: number;
  readonly error?: string;
  /** The panel's description, which says where its data comes from. */
  readonly description?: string;
}
