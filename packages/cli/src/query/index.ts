export {
  type ClusterTarget,
  grafanaProvisioning,
  queryClusterDashboards,
} from './cluster.js';
export {
  formatSelection,
  lokiStep,
  panelInterval,
  prometheusStep,
  type QueryWindow,
  regexEscape,
  replaceLokiBuiltins,
  replacePrometheusBuiltins,
  replaceTemplateVariables,
  type Selection,
} from './interpolate.js';
export type {
  DashboardJson,
  DatasourcesFile,
  ProvisionedDatasource,
  QueryResult,
} from './model.js';
export {
  parseLabelValues,
  type RunOptions,
  runDashboard,
  runDashboards,
} from './runner.js';
export {
  formatInterval,
  goDuration,
  parseDuration,
  relativeTime,
  roundInterval,
} from './time.js';
export {
  directFetch,
  type FetchJson,
  type ServiceProxy,
  serviceProxyPath,
  startServiceProxy,
} from './transport.js';
