import {
  DEFAULT_NAMESPACE,
  durationSeconds,
  type JSONSchemaType,
  namespaceOption,
  type OptionIssue,
  type ResolvedResources,
  type ResourceOptions,
  resolveOptions,
  resourceIssues,
  resourcesSchema,
} from '@plgkit/core';

/**
 * Where every alert goes. Each receiver reads its secret (the webhook URL, Slack's incoming-webhook URL, the SMTP
 * password) from a file of the Secret `receiverSecret`, never from the ConfigMap.
 * - `none`: nowhere; alerts show in Alertmanager's UI and Grafana's Alerting pages only.
 * - `webhook`: POSTs Alertmanager's JSON to the URL in the Secret's `url` key.
 * - `slack`: posts to the Slack incoming webhook in the Secret's `url` key.
 * - `email`: mails `email.to` through `email.smarthost`, with the password in the Secret's `password` key.
 */
export type ReceiverKind = 'none' | 'webhook' | 'slack' | 'email';

export interface EmailOptions {
  /** Who gets the mail, e.g. "oncall@example.com". */
  readonly to: string;
  /** The sender, e.g. "alertmanager@example.com". */
  readonly from: string;
  /** The SMTP server as host:port, e.g. "smtp.example.com:587". */
  readonly smarthost: string;
  /** The SMTP user; the password is the Secret's `password` key. Without it, no SMTP authentication. */
  readonly authUsername?: string;
}

/** Options of the Alertmanager base. Every field is optional; the defaults deliver nowhere and fit a default minikube. */
export interface AlertmanagerOptions {
  /** Namespace of every namespaced object. @default "monitoring" */
  readonly namespace?: string;
  /** Where every alert goes (see ReceiverKind). @default "none" */
  readonly receiver?: ReceiverKind;
  /** The Secret the receiver's URL or password is read from; it must exist unless `receiver` is `none`. @default "alertmanager-receiver" */
  readonly receiverSecret?: string;
  /** Slack only: the channel, e.g. "#alerts". Empty: the incoming webhook's own channel. @default "" */
  readonly slackChannel?: string;
  /** Email only: required when `receiver` is `email`. */
  readonly email?: EmailOptions;
  /** How long a new group of alerts waits for others before its first notification (`group_wait`). @default "30s" */
  readonly groupWait?: string;
  /** How long before a group that changed is notified again (`group_interval`). @default "5m" */
  readonly groupInterval?: string;
  /** How long before a group still firing is notified again (`repeat_interval`). @default "4h" */
  readonly repeatInterval?: string;
  /** How long silences and the notification log are kept (`--data.retention`). @default "120h" */
  readonly retention?: string;
  /** Size of the PersistentVolumeClaim that keeps silences and the notification log across restarts. @default "100Mi" */
  readonly storageSize?: string;
  /** CPU and memory of the Alertmanager container. @default {"requests":{"cpu":"10m","memory":"32Mi"},"limits":{"cpu":"200m","memory":"64Mi"}} */
  readonly resources?: ResourceOptions;
}

export type ResolvedAlertmanagerOptions = Required<
  Omit<AlertmanagerOptions, 'resources' | 'email'>
> & { readonly resources: ResolvedResources; readonly email?: EmailOptions };

export const DEFAULTS: ResolvedAlertmanagerOptions = {
  namespace: DEFAULT_NAMESPACE,
  receiver: 'none',
  receiverSecret: 'alertmanager-receiver',
  slackChannel: '',
  groupWait: '30s',
  groupInterval: '5m',
  repeatInterval: '4h',
  retention: '120h',
  storageSize: '100Mi',
  resources: {
    requests: { cpu: '10m', memory: '32Mi' },
    limits: { cpu: '200m', memory: '64Mi' },
  },
};

const duration = (d: string) =>
  ({ type: 'string', format: 'duration', nullable: true, default: d }) as const;

export const alertmanagerOptionsSchema: JSONSchemaType<AlertmanagerOptions> = {
  $id: 'https://plgkit.dev/schemas/alertmanager-options.json',
  title: 'AlertmanagerOptions',
  type: 'object',
  additionalProperties: false,
  properties: {
    namespace: namespaceOption,
    receiver: {
      type: 'string',
      enum: ['none', 'webhook', 'slack', 'email'],
      nullable: true,
      default: DEFAULTS.receiver,
    },
    receiverSecret: {
      type: 'string',
      // A Secret's name: a DNS subdomain.
      pattern: '^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$',
      nullable: true,
      default: DEFAULTS.receiverSecret,
    },
    slackChannel: {
      type: 'string',
      pattern: '^([#@].+)?$',
      nullable: true,
      default: DEFAULTS.slackChannel,
    },
    email: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: ['to', 'from', 'smarthost'],
      properties: {
        to: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+$' },
        from: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+$' },
        smarthost: { type: 'string', pattern: '^[^:\\s]+:[0-9]+$' },
        authUsername: { type: 'string', nullable: true },
      },
    },
    groupWait: duration(DEFAULTS.groupWait),
    groupInterval: duration(DEFAULTS.groupInterval),
    repeatInterval: duration(DEFAULTS.repeatInterval),
    retention: duration(DEFAULTS.retention),
    storageSize: {
      type: 'string',
      format: 'quantity',
      nullable: true,
      default: DEFAULTS.storageSize,
    },
    resources: resourcesSchema(DEFAULTS.resources),
  },
};

function crossChecks(o: ResolvedAlertmanagerOptions): OptionIssue[] {
  const issues = resourceIssues('/resources', o.resources);
  if (o.receiver === 'email' && !o.email)
    issues.push({
      path: '/email',
      message:
        'receiver "email" needs where to send: e.g. {"to":"oncall@example.com","from":"alertmanager@example.com","smarthost":"smtp.example.com:587"}',
    });
  if (o.receiver !== 'email' && o.email)
    issues.push({
      path: '/email',
      message: `only read with receiver "email", got receiver ${JSON.stringify(o.receiver)}: set receiver to "email", or leave email out`,
    });
  if (o.receiver !== 'slack' && o.slackChannel)
    issues.push({
      path: '/slackChannel',
      message: `only read with receiver "slack", got receiver ${JSON.stringify(o.receiver)}: set receiver to "slack", or leave slackChannel out`,
    });
  if (durationSeconds(o.repeatInterval) < durationSeconds(o.groupInterval))
    issues.push({
      path: '/repeatInterval',
      message: `got ${o.repeatInterval}, expected at least groupInterval ${o.groupInterval}: a firing group is re-sent no sooner than its group interval, e.g. "4h"`,
    });
  return issues;
}

/** Validates options and applies defaults; throws `OptionsError` listing every problem. */
export function resolveAlertmanagerOptions(
  options?: AlertmanagerOptions,
): ResolvedAlertmanagerOptions {
  return resolveOptions<AlertmanagerOptions, ResolvedAlertmanagerOptions>(
    'alertmanager',
    alertmanagerOptionsSchema,
    options,
    crossChecks,
  );
}
