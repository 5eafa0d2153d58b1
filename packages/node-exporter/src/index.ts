import type { Base, PackageOutput } from '@plgkit/core';
import { daemonSet, networkPolicy, serviceAccount } from './objects.js';
import {
  type NodeExporterOptions,
  nodeExporterOptionsSchema,
  resolveNodeExporterOptions,
} from './options.js';

/** The node-exporter kustomize base: a DaemonSet that reads each node's /proc, /sys and / read-only. */
export function nodeExporterBase(options?: NodeExporterOptions): Base {
  const o = resolveNodeExporterOptions(options);
  return {
    namespace: o.namespace,
    resources: [serviceAccount(o), daemonSet(o)],
  };
}

/** What `emit.ts` writes into this package: the default base, the optional NetworkPolicy Component, the options schema. */
export function nodeExporterOutput(
  options?: NodeExporterOptions,
): PackageOutput {
  return {
    base: nodeExporterBase(options),
    components: {
      'network-policy': {
        resources: [networkPolicy(resolveNodeExporterOptions(options))],
      },
    },
    optionsSchema: nodeExporterOptionsSchema,
  };
}

export { APP, NAME, PORT } from './objects.js';
export {
  DEFAULTS,
  type NodeExporterOptions,
  nodeExporterOptionsSchema,
  type ResolvedNodeExporterOptions,
  resolveNodeExporterOptions,
} from './options.js';
export { NODE_EXPORTER_IMAGE, NODE_EXPORTER_VERSION } from './versions.js';
