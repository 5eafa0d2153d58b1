import {
  type AppIdentity,
  appIdentity,
  containerResources,
  httpProbe,
  type KubeObject,
  labels,
  owner,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
  STACK,
  selectorLabels,
  serviceAccount as serviceAccountFor,
  service as serviceFor,
  stackNetworkPolicy,
} from '@plgkit/core';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type {
  EnvVar,
  Service,
  ServiceAccount,
} from 'kubernetes-types/core/v1.js';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1.js';
import { DASHBOARDS_DIR } from './datasources.js';
import type { ResolvedGrafanaOptions } from './options.js';
import { GRAFANA_IMAGE, GRAFANA_VERSION } from './versions.js';

export const NAME = STACK.grafana.name;
export const PORT = STACK.grafana.ports.http;
export const DATASOURCES_CONFIG_MAP = 'grafana-datasources';
export const PROVIDERS_CONFIG_MAP = 'grafana-dashboard-providers';
export const DASHBOARDS_CONFIG_MAP = 'grafana-dashboards';
/** The image's `grafana` user. */
const UID = 472;

export const APP: AppIdentity = appIdentity(STACK.grafana, GRAFANA_VERSION);

export function serviceAccount(
  o: ResolvedGrafanaOptions,
): KubeObject<ServiceAccount> {
  // Grafana never calls the Kubernetes API.
  return serviceAccountFor(owner(APP, o.namespace), false);
}

export function service(o: ResolvedGrafanaOptions): KubeObject<Service> {
  return serviceFor(owner(APP, o.namespace), selectorLabels(APP), [
    { name: 'http', port: PORT, targetPort: 'http', protocol: 'TCP' },
  ]);
}

function secretEnv(name: string, secret: string, key: string): EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

/** Settings that keep Grafana offline and quiet: no phoning home, no plugin downloads at start, logs on stdout. */
const OFFLINE_ENV: EnvVar[] = [
  { name: 'GF_ANALYTICS_REPORTING_ENABLED', value: 'false' },
  { name: 'GF_ANALYTICS_CHECK_FOR_UPDATES', value: 'false' },
  { name: 'GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES', value: 'false' },
  { name: 'GF_PLUGINS_PREINSTALL_DISABLED', value: 'true' },
  { name: 'GF_NEWS_NEWS_FEED_ENABLED', value: 'false' },
  { name: 'GF_LOG_MODE', value: 'console' },
];

export function deployment(o: ResolvedGrafanaOptions): KubeObject<Deployment> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: NAME, namespace: o.namespace, labels: labels(APP) },
    spec: {
      replicas: 1,
      selector: { matchLabels: selectorLabels(APP) },
      template: {
        metadata: { labels: labels(APP) },
        spec: {
          serviceAccountName: NAME,
          automountServiceAccountToken: false,
          securityContext: restrictedPodSecurityContext(UID),
          containers: [
            {
              name: NAME,
              image: GRAFANA_IMAGE,
              ports: [{ name: 'http', containerPort: PORT, protocol: 'TCP' }],
              env: [
                secretEnv(
                  'GF_SECURITY_ADMIN_USER',
                  o.adminSecretName,
                  'admin-user',
                ),
                secretEnv(
                  'GF_SECURITY_ADMIN_PASSWORD',
                  o.adminSecretName,
                  'admin-password',
                ),
                ...OFFLINE_ENV,
              ],
              readinessProbe: httpProbe('/api/health', 'http'),
              livenessProbe: httpProbe('/api/health', 'http', {
                initialDelaySeconds: 30,
                failureThreshold: 6,
              }),
              resources: containerResources(o.resources),
              securityContext: restrictedContainerSecurityContext(),
              volumeMounts: [
                // Grafana's state (sqlite, sessions) is rebuilt from provisioning, so it may live in an emptyDir.
                { name: 'storage', mountPath: '/var/lib/grafana' },
                { name: 'tmp', mountPath: '/tmp' },
                {
                  name: 'datasources',
                  mountPath: '/etc/grafana/provisioning/datasources',
                  readOnly: true,
                },
                {
                  name: 'dashboard-providers',
                  mountPath: '/etc/grafana/provisioning/dashboards',
                  readOnly: true,
                },
                {
                  name: 'dashboards',
                  mountPath: DASHBOARDS_DIR,
                  readOnly: true,
                },
              ],
            },
          ],
          volumes: [
            { name: 'storage', emptyDir: {} },
            { name: 'tmp', emptyDir: {} },
            {
              name: 'datasources',
              configMap: { name: DATASOURCES_CONFIG_MAP },
            },
            {
              name: 'dashboard-providers',
              configMap: { name: PROVIDERS_CONFIG_MAP },
            },
            { name: 'dashboards', configMap: { name: DASHBOARDS_CONFIG_MAP } },
          ],
        },
      },
    },
  };
}

/** Optional: anyone may open Grafana; Grafana may reach only DNS, Prometheus and Loki. */
export function networkPolicy(
  o: ResolvedGrafanaOptions,
): KubeObject<NetworkPolicy> {
  return stackNetworkPolicy('grafana', APP.version, o.namespace);
}
