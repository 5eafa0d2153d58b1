import { defineLogCollector, toYaml } from '@plgkit/core';
import {
  CONFIG_FILE,
  POSITIONS_DIR,
  POSITIONS_HOST_DIR,
  promtailConfig,
} from './config.js';
import type { PromtailOptions } from './options.js';
import { PROMTAIL_IMAGE } from './versions.js';

/**
 * Promtail as one of the stack's log collectors: `promtail.base(options)`, `promtail.runtimeComponent(runtime)`,
 * `promtail.output(options)` (what `emit.ts` writes), `promtail.resolve(options)`. Bad options throw `OptionsError`.
 */
export const promtail = defineLogCollector<PromtailOptions>({
  key: 'promtail',
  image: PROMTAIL_IMAGE,
  args: (config) => [`-config.file=${config}`, '-config.expand-env=true'],
  probes: { ready: '/ready', live: '/metrics' },
  state: {
    volume: 'positions',
    mountPath: POSITIONS_DIR,
    hostPath: POSITIONS_HOST_DIR,
  },
  resources: {
    requests: { cpu: '50m', memory: '64Mi' },
    limits: { cpu: '500m', memory: '128Mi' },
  },
  configFile: CONFIG_FILE,
  config: (o) => toYaml(promtailConfig(o)),
});

export {
  HTTP_PORT,
  type ParseStage,
  type PipelineStage,
  type PromtailConfig,
  promtailConfig,
  type RelabelConfig,
  type ScrapeConfig,
} from './config.js';
export type { PromtailOptions, ResolvedPromtailOptions } from './options.js';
export { PROMTAIL_IMAGE, PROMTAIL_VERSION } from './versions.js';
