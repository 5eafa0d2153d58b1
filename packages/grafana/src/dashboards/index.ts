import { clusterOverviewDashboard } from './cluster-overview.js';
import { controlPlaneDashboard } from './control-plane.js';
import { logsDashboard } from './logs.js';
import { lokiDashboard } from './loki.js';
import type { Dashboard } from './model.js';
import { namespacesDashboard } from './namespaces.js';
import { podResourcesDashboard } from './pod-resources.js';
import { prometheusDashboard } from './prometheus.js';

/** Every bundled dashboard, by file name. */
export function bundledDashboards(): Record<string, Dashboard> {
  return {
    'cluster-overview.json': clusterOverviewDashboard(),
    'control-plane.json': controlPlaneDashboard(),
    'logs.json': logsDashboard(),
    'loki.json': lokiDashboard(),
    'namespaces.json': namespacesDashboard(),
    'pod-resources.json': podResourcesDashboard(),
    'prometheus.json': prometheusDashboard(),
  };
}

export {
  type Dashboard,
  type DatasourceRef,
  panelsOf,
  type Target,
  variablesOf,
} from './model.js';
