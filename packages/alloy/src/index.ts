import { type Base, type Component, type ConfigMapGenerator, type KubePatch, type PackageOutput, selectorLabels } from '@plgkit/core';
import { alloyConfig, CONFIG_FILE } from './config.js';
import { APP, CONFIG_MAP, clusterRole, clusterRoleBinding, daemonSet, dockerContainersPatch, networkPolicy, serviceAccount } from './objects.js';
import { type AlloyOptions, alloyOptionsSchema, type ResolvedAlloyOptions, resolveAlloyOptions, RUNTIMES, type Runtime } from './options.js';
import { formatConfig } from './syntax.js';

function configGenerator(o: ResolvedAlloyOptions, behavior?: 'merge'): ConfigMapGenerator {
  return { name: CONFIG_MAP, files: { [CONFIG_FILE]: formatConfig(alloyConfig(o)) }, labels: selectorLabels(APP), ...(behavior ? { behavior } : {}) };
}

/** The Alloy kustomize base, built for `options.runtime`. Throws `OptionsError` for bad options. */
export function alloyBase(options?: AlloyOptions): Base {
  const o = resolveAlloyOptions(options);
  return {
    namespace: o.namespace,
    resources: [serviceAccount(o), clusterRole(o), clusterRoleBinding(o), daemonSet(o)],
    configMapGenerators: [configGenerator(o)],
  };
}

/** The Component that switches an Alloy base to `runtime`: its pipeline (a config merge) and the mounts it needs. */
export function runtimeComponent(runtime: Runtime, options?: AlloyOptions): Component {
  const o = resolveAlloyOptions({ ...options, runtime });
  return {
    configMapGenerators: [configGenerator(o, 'merge')],
    patches: runtime === 'containerd' ? [] : [dockerContainersPatch(runtime === 'auto' ? 'DirectoryOrCreate' : 'Directory')],
  };
}

/** Promtail's objects in a plgkit overlay, each removed by a `$patch: delete`. */
const PROMTAIL_OBJECTS: ReadonlyArray<readonly [apiVersion: string, kind: string, name: string]> = [
  ['apps/v1', 'DaemonSet', 'promtail'],
  ['v1', 'ConfigMap', 'promtail-config'],
  ['v1', 'ServiceAccount', 'promtail'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'promtail'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'promtail'],
];

/**
 * The collector switch: one `components:` line that puts Alloy (auto pipeline, so either runtime) where an overlay
 * built on plgkit's Promtail had it, and removes Promtail. List it last, in place of Promtail's runtime Component,
 * in an overlay whose Promtail patches live in the overlay it builds on (as overlays/minikube on minikube-docker).
 */
export function insteadOfPromtail(options?: AlloyOptions): Component {
  const o = resolveAlloyOptions({ ...options, runtime: 'auto' });
  const deletions: KubePatch[] = PROMTAIL_OBJECTS.map(([apiVersion, kind, name]) => ({ apiVersion, kind, metadata: { name }, $patch: 'delete' }) as KubePatch);
  // The base itself, so its generated ConfigMap's name (with its hash) reaches the DaemonSet; then the auto
  // pipeline merged in, as components/auto does.
  return {
    bases: ['../../base'],
    configMapGenerators: [configGenerator(o, 'merge')],
    patches: [dockerContainersPatch('DirectoryOrCreate'), ...deletions],
  };
}

/** What `emit.ts` writes into this package: the default base, a Component per runtime, the switch from Promtail,
 *  the optional NetworkPolicy Component, and the options schema. */
export function alloyOutput(options?: AlloyOptions): PackageOutput {
  return {
    base: alloyBase(options),
    components: {
      ...Object.fromEntries(RUNTIMES.map((r) => [r, runtimeComponent(r, options)])),
      'instead-of-promtail': insteadOfPromtail(options),
      'network-policy': { resources: [networkPolicy(resolveAlloyOptions(options))] },
    },
    optionsSchema: alloyOptionsSchema,
  };
}

export { alloyConfig, CONFIG_FILE, DOCKER_CONTAINERS_DIR, HTTP_PORT, NODE_NAME_ENV, POD_LOGS_DIR, RUNTIME_LABEL, STORAGE_DIR } from './config.js';
export { APP, NAME } from './objects.js';
export { type AlloyOptions, alloyOptionsSchema, DEFAULTS, type ResolvedAlloyOptions, resolveAlloyOptions, RUNTIMES, type Runtime } from './options.js';
export { add, attr, block, type Block, call, type Expression, formatConfig, formatValue, quote, ref, type Statement, type Value } from './syntax.js';
export { ALLOY_IMAGE, ALLOY_SYNTAX_VERSION, ALLOY_VERSION } from './versions.js';
