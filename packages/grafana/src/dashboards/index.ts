import { clusterResourcesDashboard } from './cluster-resources.js';
import { logsDashboard } from './logs.js';
import type { Dashboard } from './model.js';

/** Every bundled dashboard, by file name. */
export function bundledDashboards(): Record<string, Dashboard> {
  return {
    'cluster-resources.json': clusterResourcesDashboard(),
    'logs.json': logsDashboard(),
  };
}

export type { Dashboard, DatasourceRef, Panel, Target, Variable } from './model.js';
