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
  POSITIONS_DIR,
  POSITIONS_HOST_DIR,
} from './config.js';
import type { ResolvedPromtailOptions } from './options.js';
import { PROMTAIL_IMAGE, PROMTAIL_VERSION } from './versions.js';

export const NAME = STACK.promtail.name;
export const CONFIG_MAP = STACK.promtail.configMap;

export const APP: AppIdentity = appIdentity(STACK.promtail, PROMTAIL_VERSION);

/** Promtail's ServiceAccount, RBAC and DaemonSet, from the one log-collector builder. */
export function workload(o: ResolvedPromtailOptions): LogCollectorWorkload {
  return logCollectorWorkload({
    app: APP,
    namespace: o.namespace,
    image: PROMTAIL_IMAGE,
    args: [
      `-config.file=${CONFIG_DIR}/${CONFIG_FILE}`,
      '-config.expand-env=true',
    ],
    port: HTTP_PORT,
    readinessPath: '/ready',
    livenessPath: '/metrics',
    configMap: CONFIG_MAP,
    configDir: CONFIG_DIR,
    state: {
      volume: 'positions',
      mountPath: POSITIONS_DIR,
      hostPath: POSITIONS_HOST_DIR,
    },
    nodeNameEnv: NODE_NAME_ENV,
    resources: o.resources,
  });
}
