export { grafanaProvisioning, queryClusterDashboards, type ClusterTarget } from './cluster.js';
export type { DashboardJson, DatasourcesFile, ProvisionedDatasource, QueryResult } from './model.js';
export { formatSelection, lokiStep, panelInterval, prometheusStep, regexEscape, replaceLokiBuiltins, replacePrometheusBuiltins, replaceTemplateVariables, type QueryWindow, type Selection } from './interpolate.js';
export { parseLabelValues, runDashboard, runDashboards, type RunOptions } from './runner.js';
export { formatInterval, goDuration, parseDuration, relativeTime, roundInterval } from './time.js';
export { directFetch, type FetchJson, serviceProxyPath, startServiceProxy, type ServiceProxy } from './transport.js';
