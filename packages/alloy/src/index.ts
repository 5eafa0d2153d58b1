import { defineLogCollector } from '@plgkit/core';
import {
  alloyConfig,
  CONFIG_FILE,
  HTTP_PORT,
  STORAGE_DIR,
  STORAGE_HOST_DIR,
} from './config.js';
import type { AlloyOptions } from './options.js';
import { formatConfig } from './syntax.js';
import { ALLOY_IMAGE } from './versions.js';

/**
 * Grafana Alloy as one of the stack's log collectors, in Promtail's place: `alloy.base(options)`,
 * `alloy.runtimeComponent(runtime)`, `alloy.output(options)` (what `emit.ts` writes), `alloy.resolve(options)`.
 */
export const alloy = defineLogCollector<AlloyOptions>({
  key: 'alloy',
  image: ALLOY_IMAGE,
  // Upstream's image runs /bin/alloy; only generally available components, as upstream's default.
  args: (config) => [
    'run',
    config,
    `--storage.path=${STORAGE_DIR}`,
    `--server.http.listen-addr=0.0.0.0:${HTTP_PORT}`,
    '--stability.level=generally-available',
  ],
  probes: { ready: '/-/ready', live: '/-/healthy' },
  state: {
    volume: 'storage',
    mountPath: STORAGE_DIR,
    hostPath: `${STORAGE_HOST_DIR}/data`,
  },
  resources: {
    requests: { cpu: '50m', memory: '128Mi' },
    limits: { cpu: '500m', memory: '256Mi' },
  },
  configFile: CONFIG_FILE,
  config: (o) => formatConfig(alloyConfig(o)),
});

export {
  alloyConfig,
  CONFIG_FILE,
  HTTP_PORT,
  STORAGE_DIR,
} from './config.js';
export type { AlloyOptions, ResolvedAlloyOptions } from './options.js';
export {
  add,
  attr,
  type Block,
  block,
  call,
  type Expression,
  formatConfig,
  formatValue,
  quote,
  ref,
  type Statement,
  type Value,
} from './syntax.js';
export {
  ALLOY_IMAGE,
  ALLOY_SYNTAX_VERSION,
  ALLOY_VERSION,
} from './versions.js';
