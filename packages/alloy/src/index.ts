import {
  type Base,
  type Component,
  type LogCollectorPackage,
  logCollectorBase,
  logCollectorOutput,
  logCollectorRuntime,
  type PackageOutput,
} from '@plgkit/core';
import { alloyConfig, CONFIG_FILE } from './config.js';
import { APP, workload } from './objects.js';
import {
  type AlloyOptions,
  alloyOptionsSchema,
  type Runtime,
  resolveAlloyOptions,
} from './options.js';
import { formatConfig } from './syntax.js';

/** Alloy as one of the stack's log collectors: its workload and its config file, rendered from the shared pipeline. */
const ALLOY: LogCollectorPackage = {
  key: 'alloy',
  app: APP,
  optionsSchema: alloyOptionsSchema,
  resolve: resolveAlloyOptions,
  workload,
  configFile: CONFIG_FILE,
  config: (o) => formatConfig(alloyConfig(o)),
};

/** The Alloy kustomize base, built for `options.runtime`. Throws `OptionsError` for bad options. */
export function alloyBase(options?: AlloyOptions): Base {
  return logCollectorBase(ALLOY, options);
}

/** The Component that switches a Alloy base to `runtime`: its config (a merge) and the mounts that runtime needs. */
export function runtimeComponent(
  runtime: Runtime,
  options?: AlloyOptions,
): Component {
  return logCollectorRuntime(ALLOY, runtime, options);
}

/** What `emit.ts` writes into this package: the default base, a Component per runtime, the optional NetworkPolicy
 *  Component, and the options schema. */
export function alloyOutput(options?: AlloyOptions): PackageOutput {
  return logCollectorOutput(ALLOY, options);
}

export {
  alloyConfig,
  CONFIG_FILE,
  DOCKER_CONTAINERS_DIR,
  HTTP_PORT,
  NODE_NAME_ENV,
  POD_LOGS_DIR,
  RUNTIME_LABEL,
  STORAGE_DIR,
} from './config.js';
export { APP, NAME } from './objects.js';
export {
  type AlloyOptions,
  alloyOptionsSchema,
  DEFAULTS,
  type ResolvedAlloyOptions,
  RUNTIMES,
  type Runtime,
  resolveAlloyOptions,
} from './options.js';
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
