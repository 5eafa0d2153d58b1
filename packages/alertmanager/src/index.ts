import {
  type Base,
  type Component,
  type ConfigMapGenerator,
  type KubePatch,
  type PackageOutput,
  selectorLabels,
  toYaml,
} from '@plgkit/core';
import { alertmanagerConfig, CONFIG_FILE } from './config.js';
import {
  APP,
  CONFIG_MAP,
  NAME,
  networkPolicy,
  RECEIVER_VOLUME,
  service,
  serviceAccount,
  statefulSet,
} from './objects.js';
import {
  type AlertmanagerOptions,
  alertmanagerOptionsSchema,
  type ResolvedAlertmanagerOptions,
  resolveAlertmanagerOptions,
} from './options.js';

function configMap(o: ResolvedAlertmanagerOptions): ConfigMapGenerator {
  return {
    name: CONFIG_MAP,
    files: { [CONFIG_FILE]: toYaml(alertmanagerConfig(o)) },
    labels: selectorLabels(APP),
  };
}

/** The Alertmanager kustomize base for the given options. Throws `OptionsError` for bad options. */
export function alertmanagerBase(options?: AlertmanagerOptions): Base {
  const o = resolveAlertmanagerOptions(options);
  return {
    namespace: o.namespace,
    resources: [serviceAccount(o), service(o), statefulSet(o)],
    configMapGenerators: [configMap(o)],
  };
}

/**
 * A Component that sends every alert to `receiver`, its URL read from the Secret `receiverSecret`: the config file
 * replaced, and the Secret mounted.
 */
function receiverComponent(
  options: AlertmanagerOptions | undefined,
  receiver: 'webhook' | 'slack',
): Component {
  // The Component is its own receiver: the options of another (email's address, Slack's channel) do not apply.
  const { email: _email, slackChannel, ...rest } = options ?? {};
  const o = resolveAlertmanagerOptions({
    ...rest,
    receiver,
    ...(receiver === 'slack' && slackChannel ? { slackChannel } : {}),
  });
  const spec = statefulSet(o).spec!.template.spec!;
  const patch: KubePatch = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: NAME },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: NAME,
              volumeMounts: spec.containers[0]!.volumeMounts!.filter(
                (m) => m.name === RECEIVER_VOLUME,
              ),
            },
          ],
          volumes: spec.volumes!.filter((v) => v.name === RECEIVER_VOLUME),
        },
      },
    },
  };
  return {
    configMapGenerators: [{ ...configMap(o), behavior: 'replace' }],
    patches: [patch],
  };
}

/**
 * What `emit.ts` writes into this package: the default base (alerts go nowhere), the Components that send them to a
 * webhook or to Slack, the optional NetworkPolicy Component, the options schema.
 */
export function alertmanagerOutput(
  options?: AlertmanagerOptions,
): PackageOutput {
  return {
    base: alertmanagerBase(options),
    components: {
      'network-policy': {
        resources: [networkPolicy(resolveAlertmanagerOptions(options))],
      },
      'receiver-webhook': receiverComponent(options, 'webhook'),
      'receiver-slack': receiverComponent(options, 'slack'),
    },
    optionsSchema: alertmanagerOptionsSchema,
  };
}

export {
  type AlertmanagerConfig,
  alertmanagerConfig,
  CONFIG_FILE,
  DEFAULT_RECEIVER,
  inhibitRules,
  NULL_RECEIVER,
  RECEIVER_DIR,
  route,
} from './config.js';
export {
  APP,
  CONFIG_MAP,
  NAME,
  PORT,
  RECEIVER_VOLUME,
} from './objects.js';
export {
  type AlertmanagerOptions,
  alertmanagerOptionsSchema,
  DEFAULTS,
  type EmailOptions,
  type ReceiverKind,
  type ResolvedAlertmanagerOptions,
  resolveAlertmanagerOptions,
} from './options.js';
export { ALERTMANAGER_IMAGE, ALERTMANAGER_VERSION } from './versions.js';
