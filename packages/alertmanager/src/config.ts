import type { ResolvedAlertmanagerOptions } from './options.js';

// alertmanager.yml, typed with upstream spelling; only what plgkit writes is modelled.
// https://prometheus.io/docs/alerting/latest/configuration/

export interface Route {
  receiver?: string;
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  /** Label matchers in Alertmanager's syntax, e.g. `severity="info"`. */
  matchers?: string[];
  routes?: Route[];
}

export interface WebhookConfig {
  send_resolved: boolean;
  url_file: string;
}

export interface SlackConfig {
  send_resolved: boolean;
  api_url_file: string;
  channel?: string;
  title: string;
  text: string;
}

export interface EmailConfig {
  send_resolved: boolean;
  to: string;
  from: string;
  smarthost: string;
  auth_username?: string;
  auth_password_file?: string;
}

export interface Receiver {
  name: string;
  webhook_configs?: WebhookConfig[];
  slack_configs?: SlackConfig[];
  email_configs?: EmailConfig[];
}

export interface InhibitRule {
  source_matchers: string[];
  target_matchers: string[];
  /** Labels that must be equal in the source and the target alert. */
  equal: string[];
}

export interface AlertmanagerConfig {
  route: Route;
  receivers: Receiver[];
  inhibit_rules: InhibitRule[];
}

/** Where the config file is mounted in the container. */
export const CONFIG_DIR = '/etc/alertmanager';
export const CONFIG_FILE = 'alertmanager.yml';
/** Where the receiver's Secret is mounted: its `url` and `password` keys are files there. */
export const RECEIVER_DIR = '/etc/alertmanager/receiver';

/** The receiver every alert goes to unless a route says otherwise. */
export const DEFAULT_RECEIVER = 'default';
/** A receiver with nothing configured: its alerts are shown in the UIs, and sent nowhere. */
export const NULL_RECEIVER = 'null';

/** The kubelet's scrape jobs, whose failure KubeletScrapeFailing names. */
const KUBELET_JOBS = 'kubernetes-nodes|kubernetes-cadvisor|kubernetes-resource';

/**
 * Alerts grouped by rule and namespace: one notification for every pod a rule names in a namespace. Info alerts
 * (ContainerCPUThrottled) are shown, not sent.
 */
export function route(o: ResolvedAlertmanagerOptions): Route {
  return {
    receiver: DEFAULT_RECEIVER,
    group_by: ['alertname', 'namespace'],
    group_wait: o.groupWait,
    group_interval: o.groupInterval,
    repeat_interval: o.repeatInterval,
    routes: [{ matchers: ['severity="info"'], receiver: NULL_RECEIVER }],
  };
}

function defaultReceiver(o: ResolvedAlertmanagerOptions): Receiver {
  switch (o.receiver) {
    case 'webhook':
      return {
        name: DEFAULT_RECEIVER,
        webhook_configs: [
          { send_resolved: true, url_file: `${RECEIVER_DIR}/url` },
        ],
      };
    case 'slack':
      return {
        name: DEFAULT_RECEIVER,
        slack_configs: [
          {
            send_resolved: true,
            api_url_file: `${RECEIVER_DIR}/url`,
            ...(o.slackChannel ? { channel: o.slackChannel } : {}),
            title:
              '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.namespace }})',
            text: '{{ range .Alerts }}{{ .Annotations.summary }}: {{ .Annotations.description }}\n{{ end }}',
          },
        ],
      };
    case 'email': {
      const e = o.email!;
      return {
        name: DEFAULT_RECEIVER,
        email_configs: [
          {
            send_resolved: true,
            to: e.to,
            from: e.from,
            smarthost: e.smarthost,
            ...(e.authUsername
              ? {
                  auth_username: e.authUsername,
                  auth_password_file: `${RECEIVER_DIR}/password`,
                }
              : {}),
          },
        ],
      };
    }
    default:
      return { name: DEFAULT_RECEIVER };
  }
}

/**
 * What one cause makes fire twice is sent once:
 * - a kubelet that refuses the scrape fires KubeletScrapeFailing, which names the fix, and TargetDown for the same
 *   target, which does not;
 * - Loki or the collector down fires its own critical alert and TargetDown for its pod; Loki down also makes the
 *   collector's pushes fail and its entries drop;
 * - of one alert at two severities, the critical one.
 */
export function inhibitRules(): InhibitRule[] {
  return [
    {
      source_matchers: ['alertname="KubeletScrapeFailing"'],
      target_matchers: ['alertname="TargetDown"', `job=~"${KUBELET_JOBS}"`],
      equal: ['job', 'instance'],
    },
    {
      source_matchers: ['alertname=~"LokiDown|LogCollectorDown"'],
      target_matchers: ['alertname="TargetDown"'],
      equal: ['job', 'instance'],
    },
    {
      source_matchers: ['alertname="LokiDown"'],
      target_matchers: [
        'alertname=~"LogCollectorRequestErrors|LogCollectorDroppingEntries"',
      ],
      equal: ['namespace'],
    },
    {
      source_matchers: ['severity="critical"'],
      target_matchers: ['severity=~"warning|info"'],
      equal: ['alertname', 'namespace'],
    },
  ];
}

export function alertmanagerConfig(
  o: ResolvedAlertmanagerOptions,
): AlertmanagerConfig {
  return {
    route: route(o),
    receivers: [defaultReceiver(o), { name: NULL_RECEIVER }],
    inhibit_rules: inhibitRules(),
  };
}
