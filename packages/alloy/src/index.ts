import {
  type Base,
  type Component,
  type ConfigMapGenerator,
  type PackageOutput,
  selectorLabels,
} from '@plgkit/core';
import { alloyConfig, CONFIG_FILE } from './config.js';
import {
  APP,
  CONFIG_MAP,
  clusterRole,
  clusterRoleBinding,
  daemonSet,
  dockerContainersPatch,
  networkPolicy,
  serviceAccount,
} from './objects.js';
import {
  type AlloyOptions,
  alloyOptionsSchema,
  type ResolvedAlloyOptions,
  RUNTIMES,
  type Runtime,
  resolveAlloyOptions,
} from './options.js';
import { formatConfig } from './syntax.js';

function configGenerator(
  o: ResolvedAlloyOptions,
  behavior?: 'merge',
): ConfigMapGenerator {
  return {
    name: CONFIG_MAP,
    files: { [CONFIG_FILE]: formatConfig(alloyConfig(o)) },
    labels: selectorLabels(APP),
    ...(behavior ? { behavior } : {}),
  };
}

/** The Alloy kustomize base, built for `options.runtime`. Throws `OptionsError` for bad options. */
export function alloyBase(options?: AlloyOptions): Base {
  const o = resolveAlloyOptions(options);
  return {
    namespace: o.namespace,
    resources: [
      serviceAccount(o),
      clusterRole(o),
      clusterRoleBinding(o),
      daemonSet(o),
    ],
    configMapGenerators: [configGenerator(o)],
  };
}

/** The Component that switches an Alloy base to `runtime`: its pipeline (a config merge) and the mounts it needs. */
export function runtimeComponent(
  runtime: Runtime,
  options?: AlloyOptions,
): Component {
  const o = resolveAlloyOptions({ ...options, runtime });
  return {
    configMapGenerators: [configGenerator(o, 'merge')],
    patches:
      runtime === 'containerd'
        ? []
        : [
            dockerContainersPatch(
              runtime === 'auto' ? 'DirectoryOrCreate' : 'Directory',
            ),
          ],
  };
}

/** What `emit.ts` writes into this package: the default base, a Component per runtime, the optional
 *   NetworkPolicy Component, and the options schema. */
export function alloyOutput(options?: AlloyOptions): PackageOutput {
  return {
    base: alloyBase(options),
    components: {
      ...Object.fromEntries(
        RUNTIMES.map((r) => [r, runtimeComponent(r, options)]),
      ),
      'network-policy': {
        resources: [networkPolicy(resolveAlloyOptions(options))],
      },
    },
    optionsSchema: alloyOptionsSchema,
  };
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
