// What a log collector package emits, built once: its base (workload and config), a Component per runtime, its
// NetworkPolicy Component. A collector package supplies its workload and its config renderer.
import type {
  Base,
  Component,
  ConfigMapGenerator,
  PackageOutput,
} from './base.js';
import { type AppIdentity, selectorLabels } from './labels.js';
import {
  type LogCollectorWorkload,
  logCollectorRuntimeComponent,
  RUNTIMES,
  type Runtime,
} from './log-collector.js';
import type {
  LogCollectorOptions,
  ResolvedLogCollectorOptions,
} from './log-collector-options.js';
import { type LogCollectorKey, STACK, stackNetworkPolicy } from './stack.js';

export interface LogCollectorPackage {
  readonly key: LogCollectorKey;
  readonly app: AppIdentity;
  readonly optionsSchema: object;
  readonly resolve: (
    options?: LogCollectorOptions,
  ) => ResolvedLogCollectorOptions;
  readonly workload: (o: ResolvedLogCollectorOptions) => LogCollectorWorkload;
  /** Its config file's name and content, rendered from the shared pipeline. */
  readonly configFile: string;
  readonly config: (o: ResolvedLogCollectorOptions) => string;
}

function configGenerator(
  p: LogCollectorPackage,
  o: ResolvedLogCollectorOptions,
): ConfigMapGenerator {
  return {
    name: STACK[p.key].configMap,
    files: { [p.configFile]: p.config(o) },
    labels: selectorLabels(p.app),
  };
}

/** The collector's kustomize base, built for `options.runtime`. Throws `OptionsError` for bad options. */
export function logCollectorBase(
  p: LogCollectorPackage,
  options?: LogCollectorOptions,
): Base {
  const o = p.resolve(options);
  return {
    namespace: o.namespace,
    resources: Object.values(p.workload(o)),
    configMapGenerators: [configGenerator(p, o)],
  };
}

/** The Component that switches the collector's base to `runtime`: its config merged in, the mounts it needs. */
export function logCollectorRuntime(
  p: LogCollectorPackage,
  runtime: Runtime,
  options?: LogCollectorOptions,
): Component {
  return logCollectorRuntimeComponent(
    runtime,
    p.app.name,
    configGenerator(p, p.resolve({ ...options, runtime })),
  );
}

/** Everything the collector's package emits: the base, a Component per runtime, the NetworkPolicy Component. */
export function logCollectorOutput(
  p: LogCollectorPackage,
  options?: LogCollectorOptions,
): PackageOutput {
  return {
    base: logCollectorBase(p, options),
    components: {
      ...Object.fromEntries(
        RUNTIMES.map((r) => [r, logCollectorRuntime(p, r, options)]),
      ),
      'network-policy': {
        resources: [
          stackNetworkPolicy(
            p.key,
            p.app.version,
            p.resolve(options).namespace,
          ),
        ],
      },
    },
    optionsSchema: p.optionsSchema,
  };
}
