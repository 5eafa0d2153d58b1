import {
  type Base,
  type Component,
  type ConfigMapGenerator,
  type PackageOutput,
  selectorLabels,
  toYaml,
} from '@plgkit/core';
import { CONFIG_FILE, promtailConfig } from './config.js';
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
  type PromtailOptions,
  promtailOptionsSchema,
  type ResolvedPromtailOptions,
  RUNTIMES,
  type Runtime,
  resolvePromtailOptions,
} from './options.js';

function configGenerator(
  o: ResolvedPromtailOptions,
  behavior?: 'merge',
): ConfigMapGenerator {
  return {
    name: CONFIG_MAP,
    files: { [CONFIG_FILE]: toYaml(promtailConfig(o)) },
    labels: selectorLabels(APP),
    ...(behavior ? { behavior } : {}),
  };
}

/** The Promtail kustomize base, built for `options.runtime`. Throws `OptionsError` for bad options. */
export function promtailBase(options?: PromtailOptions): Base {
  const o = resolvePromtailOptions(options);
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

/**
 * The Component that switches a Promtail base to `runtime`: it replaces promtail.yaml (same options, that
 * runtime's pipeline stage) through a configMapGenerator merge, and adds the mounts that runtime needs.
 */
export function runtimeComponent(
  runtime: Runtime,
  options?: PromtailOptions,
): Component {
  const o = resolvePromtailOptions({ ...options, runtime });
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

/** What `emit.ts` writes into this package: the default base, a Component per runtime, the optional NetworkPolicy
 *  Component, and the options schema. */
export function promtailOutput(options?: PromtailOptions): PackageOutput {
  return {
    base: promtailBase(options),
    components: {
      ...Object.fromEntries(
        RUNTIMES.map((r) => [r, runtimeComponent(r, options)]),
      ),
      'network-policy': {
        resources: [networkPolicy(resolvePromtailOptions(options))],
      },
    },
    optionsSchema: promtailOptionsSchema,
  };
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
