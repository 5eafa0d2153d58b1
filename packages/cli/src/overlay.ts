// `plgkit new-overlay`: an overlay of the whole stack that points at the shipped bases and changes only what the
// options change. Every patch and config file is computed by calling the same generators with the user's options
// and with their defaults (which made the shipped bases), so the rendered overlay is what the generators make.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import {
  DEFAULTS as ALERTMANAGER_DEFAULTS,
  RECEIVER_VOLUME,
} from '@plgkit/alertmanager';
import {
  type ConfigMapGenerator,
  type FileTree,
  type KubeObject,
  type KubePatch,
  STACK as MODEL,
  type PackageOutput,
  parseQuantity,
  type ResolvedResources,
  renderOverlay,
} from '@plgkit/core';
import { DEFAULTS as GRAFANA_DEFAULTS } from '@plgkit/grafana';
import type { Secret } from 'kubernetes-types/core/v1.js';
import { stackNamespace } from './namespace.js';
import {
  type OverlayOptions,
  type ResolvedOverlayOptions,
  resolveOverlayOptions,
} from './options.js';
import { type Json, strategicDiff } from './patch.js';
import { relativePath } from './paths.js';
import { profileResources } from './profiles.js';
import {
  type ComponentName,
  type StackComponent,
  type StackOptions,
  stackWith,
} from './stack.js';

/** The profile's resources of one component, with `--memory` and `--cpu` as its limits; a request above comes down. */
function sized(
  r: ResolvedResources,
  app: string,
  o: ResolvedOverlayOptions,
): ResolvedResources {
  const limit = (kind: 'memory' | 'cpu') => o[kind]?.[app] ?? r.limits[kind];
  const request = (kind: 'memory' | 'cpu') =>
    parseQuantity(r.requests[kind]) > parseQuantity(limit(kind))
      ? limit(kind)
      : r.requests[kind];
  return {
    requests: { cpu: request('cpu'), memory: request('memory') },
    limits: { cpu: limit('cpu'), memory: limit('memory') },
  };
}

/** Each component's generator options for an overlay. */
export function stackOptions(o: ResolvedOverlayOptions): StackOptions {
  const resources = profileResources(o.profile);
  const common = <N extends ComponentName>(name: N) => ({
    namespace: o.namespace,
    resources: sized(resources[name], MODEL[name].name, o),
  });
  const retention = o.retention ? { retention: o.retention } : {};
  return {
    prometheus: { ...common('prometheus'), ...retention },
    grafana: common('grafana'),
    alertmanager: common('alertmanager'),
    loki: { ...common('loki'), ...retention },
    promtail: { ...common('promtail'), runtime: o.runtime },
    alloy: { ...common('alloy'), runtime: o.runtime },
    nodeExporter: common('nodeExporter'),
    kubeStateMetrics: common('kubeStateMetrics'),
  };
}

/** The Component of a package an overlay picks: the collector's runtime, Alertmanager's webhook receiver. */
function selectedComponent(
  c: StackComponent,
  o: ResolvedOverlayOptions,
): string | undefined {
  if (c.name === 'alertmanager')
    return o.alertWebhookUrl || o.alertSecret ? WEBHOOK_COMPONENT : undefined;
  return c.name === o.collector ? o.runtime : undefined;
}

const WEBHOOK_COMPONENT = 'receiver-webhook';

/** `--alert-webhook-url`: the URL in the Secret the webhook receiver reads, kept in the overlay, not a ConfigMap. */
function alertReceiverSecret(
  namespace: string,
  url: string,
): KubeObject<Secret> {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: ALERTMANAGER_DEFAULTS.receiverSecret, namespace },
    stringData: { url },
  };
}

/** `--alert-secret`: the webhook receiver reads the user's own Secret. */
function alertSecretPatch(secretName: string): KubePatch {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: MODEL.alertmanager.name },
    spec: {
      template: {
        spec: { volumes: [{ name: RECEIVER_VOLUME, secret: { secretName } }] },
      },
    },
  };
}

/** Config files as kustomize makes them: the base's generators, with a selected Component's merged over them. */
function effectiveConfig(
  output: PackageOutput,
  component: string | undefined,
): Map<string, Record<string, string>> {
  const merged = new Map<string, Record<string, string>>();
  const generators: readonly ConfigMapGenerator[] = [
    ...(output.base.configMapGenerators ?? []),
    ...((component && output.components?.[component]?.configMapGenerators) ||
      []),
  ];
  for (const g of generators)
    merged.set(g.name, { ...merged.get(g.name), ...g.files });
  return merged;
}

const withoutNamespace = (o: KubeObject): Json => {
  const { namespace: _, ...metadata } = o.metadata;
  return JSON.parse(JSON.stringify({ ...o, metadata })) as Json;
};

/** Patches that turn the shipped objects into the ones the generator makes for `options`. */
function objectPatches(
  shipped: PackageOutput,
  wanted: PackageOutput,
): KubePatch[] {
  return wanted.base.resources.flatMap((object) => {
    const original = shipped.base.resources.find(
      (s) => s.kind === object.kind && s.metadata.name === object.metadata.name,
    );
    if (!original)
      throw new Error(
        `${object.kind} ${object.metadata.name} is not in the shipped base; upgrade the plgkit packages together`,
      );
    const diff = strategicDiff(
      withoutNamespace(original),
      withoutNamespace(object),
    ) as Record<string, unknown> | undefined;
    if (!diff) return [];
    return [
      {
        ...diff,
        apiVersion: object.apiVersion,
        kind: object.kind,
        metadata: { ...(diff.metadata as object), name: object.metadata.name },
      },
    ];
  });
}

/** Merges of the config files whose content differs from the shipped ones. */
function configMerges(
  shipped: PackageOutput,
  wanted: PackageOutput,
  component: string | undefined,
): ConfigMapGenerator[] {
  const before = effectiveConfig(shipped, component);
  return [...effectiveConfig(wanted, component)].flatMap(([name, files]) => {
    const changed = Object.fromEntries(
      Object.entries(files).filter(
        ([file, content]) => before.get(name)?.[file] !== content,
      ),
    );
    return Object.keys(changed).length > 0
      ? [{ name, behavior: 'merge' as const, files: changed }]
      : [];
  });
}

/**
 * Where a package is, as seen from the overlay: its `node_modules` copy if the overlay's project has one (so the
 * path stays valid across upgrades), else the copy this CLI loads.
 */
export function packageDir(packageName: string, overlayDir: string): string {
  for (let dir = resolve(overlayDir); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', ...packageName.split('/'));
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) break;
  }
  return dirname(
    createRequire(import.meta.url).resolve(`${packageName}/package.json`),
  );
}

/** The Secret Grafana reads its admin login from. */
export const ADMIN_SECRET = GRAFANA_DEFAULTS.adminSecretName;

/** The development login of `--dev-password`, the same as the repository's `components/dev-password`. */
export const DEV_LOGIN = { user: 'admin', password: 'plgkit-dev' } as const;

/** How a user creates the admin Secret with a password of their own. */
export function createSecretCommand(namespace: string): string {
  return `kubectl -n ${namespace} create secret generic ${ADMIN_SECRET} --from-literal=admin-user=admin --from-literal=admin-password=<password>`;
}

function devLogin(namespace: string): KubeObject<Secret> {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: ADMIN_SECRET, namespace },
    stringData: {
      'admin-user': DEV_LOGIN.user,
      'admin-password': DEV_LOGIN.password,
    },
  };
}

function grafanaNodePort(): KubePatch {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: MODEL.grafana.name },
    spec: { type: 'NodePort' },
  };
}

/** The command line that makes an overlay with these options, for its header. */
export function commandLine(dir: string, o: ResolvedOverlayOptions): string {
  const sizes = (['memory', 'cpu'] as const).flatMap((kind) =>
    Object.entries(o[kind] ?? {}).map(([app, q]) => ` --${kind} ${app}=${q}`),
  );
  return `plgkit new-overlay ${dir} --runtime ${o.runtime}${o.collector === 'promtail' ? '' : ` --collector ${o.collector}`} --namespace ${o.namespace} --profile ${o.profile}${o.retention ? ` --retention ${o.retention}` : ''}${sizes.join('')}${o.devPassword ? ' --dev-password' : ''}${o.grafanaService === 'nodeport' ? ' --grafana-service nodeport' : ''}${o.alertWebhookUrl ? ' --alert-webhook-url <url>' : ''}${o.alertSecret ? ` --alert-secret ${o.alertSecret}` : ''}`;
}

/** The files of a new overlay in `dir`. Throws `OptionsError` for bad options. */
export function newOverlay(dir: string, options: OverlayOptions): FileTree {
  return overlayFiles(dir, resolveOverlayOptions(options));
}

/** The files of a new overlay in `dir`, from options already resolved and validated. */
export function overlayFiles(dir: string, o: ResolvedOverlayOptions): FileTree {
  const perComponent = stackOptions(o);
  const bases: string[] = [];
  const components: string[] = [];
  const patches: KubePatch[] = [];
  const configMapGenerators: ConfigMapGenerator[] = [];
  for (const c of stackWith(o.collector)) {
    const shipped = c.output();
    const wanted = c.output(perComponent[c.name] as never);
    const pkg = packageDir(c.packageName, dir);
    const component = selectedComponent(c, o);
    bases.push(relativePath(dir, join(pkg, 'base')));
    if (component)
      components.push(relativePath(dir, join(pkg, 'components', component)));
    patches.push(...objectPatches(shipped, wanted));
    configMapGenerators.push(...configMerges(shipped, wanted, component));
  }
  if (o.grafanaService === 'nodeport') patches.push(grafanaNodePort());
  if (o.alertSecret) patches.push(alertSecretPatch(o.alertSecret));
  return renderOverlay({
    namespace: o.namespace,
    bases,
    components,
    resources: [
      stackNamespace(o.namespace),
      ...(o.devPassword ? [devLogin(o.namespace)] : []),
      ...(o.alertWebhookUrl
        ? [alertReceiverSecret(o.namespace, o.alertWebhookUrl)]
        : []),
    ],
    changes: { configMapGenerators, patches },
    header: [
      `Written by \`${commandLine(dir, o)}\`: run it again (with --force) rather than edit changes/.`,
      `changes/ holds what these options change in the shipped bases, computed from the same generators.`,
      ...(o.devPassword
        ? [
            `Grafana's login is ${DEV_LOGIN.user} / ${DEV_LOGIN.password} (--dev-password): for a local minikube only, never a shared cluster.`,
          ]
        : [
            `Grafana reads its admin login from the Secret ${ADMIN_SECRET} (keys admin-user, admin-password), which you create:`,
            `  ${createSecretCommand(o.namespace)}`,
          ]),
    ],
  });
}
