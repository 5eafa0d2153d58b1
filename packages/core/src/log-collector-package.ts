// A log collector package, defined once: it supplies its image, its command line, its probes, where it keeps its
// read positions, its default resources and its config file; the options, the workload, the base, a Component per
// runtime and the NetworkPolicy Component are built here alike for every collector.
import type { JSONSchemaType } from 'ajv';
import type {
  Base,
  Component,
  ConfigMapGenerator,
  PackageOutput,
} from './base.js';
import { type AppIdentity, selectorLabels } from './labels.js';
import {
  type LogCollectorSpec,
  type LogCollectorWorkload,
  logCollectorRuntimeComponent,
  logCollectorWorkload,
  RUNTIMES,
  type Runtime,
} from './log-collector.js';
import {
  type LogCollectorOptions,
  logCollectorDefaults,
  logCollectorOptionsSchema,
  type ResolvedLogCollectorOptions,
  resolveLogCollectorOptions,
} from './log-collector-options.js';
import type { ResolvedResources } from './resources.js';
import {
  appIdentity,
  type LogCollectorKey,
  STACK,
  stackNetworkPolicy,
} from './stack.js';

/** What sets a collector apart; the stack model gives its name, port and ConfigMap. */
export interface LogCollectorDefinition {
  readonly key: LogCollectorKey;
  /** Upstream's image, pinned; its tag (less a leading `v`) is `app.kubernetes.io/version`. */
  readonly image: string;
  /** The container's arguments; its config file is at `/etc/<key>/<configFile>`. */
  readonly args: (configPath: string) => readonly string[];
  readonly probes: { readonly ready: string; readonly live: string };
  readonly state: LogCollectorSpec['state'];
  /** Default CPU and memory per node, documented on the package's options interface. */
  readonly resources: ResolvedResources;
  readonly configFile: string;
  /** The config file's text, from the shared pipeline (`collectorRules`, `collectorStages`). */
  readonly config: (o: ResolvedLogCollectorOptions) => string;
}

/** One log collector, built: its options and everything its package emits. */
export interface LogCollector<O extends LogCollectorOptions> {
  readonly app: AppIdentity;
  /** `/etc/<key>`, where its ConfigMap is mounted. */
  readonly configDir: string;
  readonly defaults: ReturnType<typeof logCollectorDefaults>;
  readonly optionsSchema: JSONSchemaType<O>;
  /** Validates options, applies defaults (the Loki URL follows the namespace); throws `OptionsError`. */
  resolve(options?: O): ResolvedLogCollectorOptions;
  /** Its ServiceAccount, RBAC and DaemonSet. */
  workload(o: ResolvedLogCollectorOptions): LogCollectorWorkload;
  /** The kustomize base, built for `options.runtime`. Throws `OptionsError` for bad options. */
  base(options?: O): Base;
  /** The Component that switches the base to `runtime`: its config merged in, the mounts that runtime needs. */
  runtimeComponent(runtime: Runtime, options?: O): Component;
  /** What the package's `emit.ts` writes: the base, a Component per runtime, the NetworkPolicy Component, the schema. */
  output(options?: O): PackageOutput;
}

const pascal = (key: string) => key[0]!.toUpperCase() + key.slice(1);

export function defineLogCollector<O extends LogCollectorOptions>(
  d: LogCollectorDefinition,
): LogCollector<O> {
  const model = STACK[d.key];
  const app = appIdentity(model, d.image.split(':').at(-1)!.replace(/^v/, ''));
  const configDir = `/etc/${d.key}`;
  const defaults = logCollectorDefaults(d.resources);
  const schema = logCollectorOptionsSchema(
    d.key,
    `${pascal(d.key)}Options`,
    defaults,
  );
  // A collector's options interface adds only JSDoc (its resources' defaults) to the shared fields.
  const optionsSchema = schema as unknown as JSONSchemaType<O>;
  const resolve = (options?: O) =>
    resolveLogCollectorOptions(d.key, schema, options);
  const workload = (o: ResolvedLogCollectorOptions) =>
    logCollectorWorkload({
      app,
      namespace: o.namespace,
      image: d.image,
      args: d.args(`${configDir}/${d.configFile}`),
      port: model.ports['http-metrics']!,
      readinessPath: d.probes.ready,
      livenessPath: d.probes.live,
      configMap: model.configMap!,
      configDir,
      state: d.state,
      resources: o.resources,
    });
  const configGenerator = (
    o: ResolvedLogCollectorOptions,
  ): ConfigMapGenerator => ({
    name: model.configMap!,
    files: { [d.configFile]: d.config(o) },
    labels: selectorLabels(app),
  });
  const base = (options?: O): Base => {
    const o = resolve(options);
    return {
      namespace: o.namespace,
      resources: Object.values(workload(o)),
      configMapGenerators: [configGenerator(o)],
    };
  };
  const runtimeComponent = (runtime: Runtime, options?: O) =>
    logCollectorRuntimeComponent(
      runtime,
      app.name,
      configGenerator(resolve({ ...options, runtime } as O)),
    );
  return {
    app,
    configDir,
    defaults,
    optionsSchema,
    resolve,
    workload,
    base,
    runtimeComponent,
    output: (options) => ({
      base: base(options),
      components: {
        ...Object.fromEntries(
          RUNTIMES.map((r) => [r, runtimeComponent(r, options)]),
        ),
        'network-policy': {
          resources: [
            stackNetworkPolicy(d.key, app.version, resolve(options).namespace),
          ],
        },
      },
      optionsSchema,
    }),
  };
}
