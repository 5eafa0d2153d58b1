import {
  type Base,
  type PackageOutput,
  selectorLabels,
  toYaml,
} from '@plgkit/core';
import { CONFIG_FILE, lokiConfig } from './config.js';
import {
  APP,
  CONFIG_MAP,
  networkPolicy,
  service,
  serviceAccount,
  statefulSet,
} from './objects.js';
import {
  type LokiOptions,
  lokiOptionsSchema,
  resolveLokiOptions,
} from './options.js';

/** The single-binary Loki kustomize base. Throws `OptionsError` for bad options. */
export function lokiBase(options?: LokiOptions): Base {
  const o = resolveLokiOptions(options);
  return {
    namespace: o.namespace,
    resources: [serviceAccount(o), service(o), statefulSet(o)],
    configMapGenerators: [
      {
        name: CONFIG_MAP,
        files: { [CONFIG_FILE]: toYaml(lokiConfig(o)) },
        labels: selectorLabels(APP),
      },
    ],
  };
}

/** What `emit.ts` writes into this package: the default base, the optional NetworkPolicy Component, the options schema. */
export function lokiOutput(options?: LokiOptions): PackageOutput {
  return {
    base: lokiBase(options),
    components: {
      'network-policy': {
        resources: [networkPolicy(resolveLokiOptions(options))],
      },
    },
    optionsSchema: lokiOptionsSchema,
  };
}

export { GRPC_PORT, HTTP_PORT, type LokiConfig, lokiConfig } from './config.js';
export { APP, NAME } from './objects.js';
export {
  DEFAULTS,
  type LokiLimits,
  type LokiOptions,
  lokiOptionsSchema,
  MIN_RETENTION,
  type ResolvedLokiOptions,
  resolveLokiOptions,
} from './options.js';
export { LOKI_IMAGE, LOKI_VERSION } from './versions.js';
