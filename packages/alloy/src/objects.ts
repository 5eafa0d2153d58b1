import {
  type AppIdentity,
  appIdentity,
  type LogCollectorWorkload,
  logCollectorWorkload,
  STACK,
} from '@plgkit/core';
import {
  CONFIG_DIR,
  CONFIG_FILE,
  HTTP_PORT,
  NODE_NAME_ENV,
  STORAGE_DIR,
  STORAGE_HOST_DIR,
} from './config.js';
import type { ResolvedAlloyOptions } from './options.js';
import { ALLOY_IMAGE, ALLOY_VERSION } from './versions.js';

export const NAME = STACK.alloy.name;
export const CONFIG_MAP = STACK.alloy.configMap;

export const APP: AppIdentity = appIdentity(
  STACK.alloy,
  ALLOY_VERSION.replace(/^v/, ''),
);

/** Alloy's ServiceAccount, RBAC and DaemonSet, from the one log-collector builder. */
export function workload(o: ResolvedAlloyOptions): LogCollectorWorkload {
  return logCollectorWorkload({
    app: APP,
    namespace: o.namespace,
    image: ALLOY_IMAGE,
    // Upstream's image runs /bin/alloy; only generally available components, as upstream's default.
    args: [
      'run',
      `${CONFIG_DIR}/${CONFIG_FILE}`,
      `--storage.path=${STORAGE_DIR}`,
      `--server.http.listen-addr=0.0.0.0:${HTTP_PORT}`,
      '--stability.level=generally-available',
    ],
    port: HTTP_PORT,
    readinessPath: '/-/ready',
    livenessPath: '/-/healthy',
    configMap: CONFIG_MAP,
    configDir: CONFIG_DIR,
    state: {
      volume: 'storage',
      mountPath: STORAGE_DIR,
      hostPath: `${STORAGE_HOST_DIR}/data`,
    },
    nodeNameEnv: NODE_NAME_ENV,
    resources: o.resources,
  });
}
