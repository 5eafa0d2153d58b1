import {
  type Base,
  type Component,
  type LogCollectorPackage,
  logCollectorBase,
  logCollectorOutput,
  logCollectorRuntime,
  type PackageOutput,
  toYaml,
} from '@plgkit/core';
import { CONFIG_FILE, promtailConfig } from './config.js';
import { APP, workload } from './objects.js';
import {
  type PromtailOptions,
  promtailOptionsSchema,
  type Runtime,
  resolvePromtailOptions,
} from './options.js';

/** Promtail as one of the stack's log collectors: its workload and its config file, rendered from the shared pipeline. */
const PROMTAIL: LogCollectorPackage = {
  key: 'promtail',
  app: APP,
  optionsSchema: promtailOptionsSchema,
  resolve: resolvePromtailOptions,
  workload,
  configFile: CONFIG_FILE,
  config: (o) => toYaml(promtailConfig(o)),
};

/** The Promtail kustomize base, built for `options.runtime`. Throws `OptionsError` for bad options. */
export function promtailBase(options?: PromtailOptions): Base {
  return logCollectorBase(PROMTAIL, options);
}

/** The Component that switches a Promtail base to `runtime`: its config (a merge) and the mounts that runtime needs. */
export function runtimeComponent(
  runtime: Runtime,
  options?: PromtailOptions,
): Component {
  return logCollectorRuntime(PROMTAIL, runtime, options);
}

/** What `emit.ts` writes into this package: the default base, a Component per runtime, the optional NetworkPolicy
 *  Component, and the options schema. */
export function promtailOutput(options?: PromtailOptions): PackageOutput {
  return logCollectorOutput(PROMTAIL, options);
}

export {
  DOCKER_CONTAINERS_DIR,
  HTTP_PORT,
  NODE_NAME_ENV,
  type ParseStage,
  type PipelineStage,
  POD_LOGS_DIR,
  type PromtailConfig,
  promtailConfig,
  type RelabelConfig,
  RUNTIME_LABEL,
  type ScrapeConfig,
} from './config.js';
export { APP, NAME } from './objects.js';
export {
  DEFAULTS,
  type PromtailOptions,
  promtailOptionsSchema,
  type ResolvedPromtailOptions,
  RUNTIMES,
  type Runtime,
  resolvePromtailOptions,
} from './options.js';
export { PROMTAIL_IMAGE, PROMTAIL_VERSION } from './versions.js';
