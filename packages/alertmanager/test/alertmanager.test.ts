import { OptionsError } from '@plgkit/core';
import { describe, expect, it } from 'vitest';
import {
  alertmanagerBase,
  alertmanagerConfig,
  alertmanagerOutput,
  resolveAlertmanagerOptions,
} from '../src/index.js';

const find = (kind: string, options = {}) =>
  alertmanagerBase(options).resources.find((o) => o.kind === kind) as any;
const config = (options = {}) =>
  alertmanagerConfig(resolveAlertmanagerOptions(options));

describe('alertmanagerBase', () => {
  it('delivers nowhere by default: one receiver with nothing configured, no Secret mounted', () => {
    expect(config().receivers).toEqual([{ name: 'default' }, { name: 'null' }]);
    const pod = find('StatefulSet').spec.template.spec;
    expect(pod.volumes.map((v: any) => v.name)).toEqual(['config']);
  });

  it('reads every receiver secret from a file of the Secret, never from the ConfigMap', () => {
    const webhook = config({ receiver: 'webhook' }).receivers[0]!;
    expect(webhook.webhook_configs).toEqual([
      { send_resolved: true, url_file: '/etc/alertmanager/receiver/url' },
    ]);
    const slack = config({ receiver: 'slack', slackChannel: '#alerts' })
      .receivers[0]!;
    expect(slack.slack_configs![0]!.api_url_file).toBe(
      '/etc/alertmanager/receiver/url',
    );
    const email = config({
      receiver: 'email',
      email: {
        to: 'a@example.com',
        from: 'b@example.com',
        smarthost: 'smtp.example.com:587',
        authUsername: 'b',
      },
    }).receivers[0]!;
    expect(email.email_configs![0]!.auth_password_file).toBe(
      '/etc/alertmanager/receiver/password',
    );
    const pod = find('StatefulSet', { receiver: 'webhook' }).spec.template.spec;
    expect(pod.volumes).toContainEqual({
      name: 'receiver',
      secret: { secretName: 'alertmanager-receiver' },
    });
    expect(JSON.stringify(config({ receiver: 'webhook' }))).not.toMatch(
      /https?:\/\//,
    );
  });

  it('groups by alert and namespace, and shows info alerts without sending them', () => {
    const route = config().route;
    expect(route.group_by).toEqual(['alertname', 'namespace']);
    expect(route.routes).toEqual([
      { matchers: ['severity="info"'], receiver: 'null' },
    ]);
  });

  it('keeps silences and the notification log on a volume, runs restricted, and calls no API', () => {
    const sts = find('StatefulSet');
    const c = sts.spec.template.spec.containers[0];
    expect(c.args).toContain('--storage.path=/alertmanager');
    expect(c.volumeMounts).toContainEqual({
      name: 'data',
      mountPath: '/alertmanager',
    });
    expect(sts.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(sts.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(find('ServiceAccount').automountServiceAccountToken).toBe(false);
  });

  it('ships Components that switch the receiver to a webhook or Slack, with the Secret mounted', () => {
    const components = alertmanagerOutput().components!;
    expect(Object.keys(components).sort()).toEqual([
      'network-policy',
      'receiver-slack',
      'receiver-webhook',
    ]);
    const webhook = components['receiver-webhook']!;
    expect(webhook.configMapGenerators![0]!.behavior).toBe('replace');
    expect(
      webhook.configMapGenerators![0]!.files['alertmanager.yml'],
    ).toContain('url_file: /etc/alertmanager/receiver/url');
    expect(JSON.stringify(webhook.patches)).toContain('alertmanager-receiver');
  });

  it('emits its receiver Components whatever receiver the base is given', () => {
    const components = alertmanagerOutput({
      receiver: 'email',
      email: {
        to: 'a@example.com',
        from: 'b@example.com',
        smarthost: 'smtp.example.com:587',
      },
    }).components!;
    expect(
      components['receiver-slack']!.configMapGenerators![0]!.files[
        'alertmanager.yml'
      ],
    ).toContain('api_url_file');
  });

  it('names the field and the fix for each bad option', () => {
    const error = (options: object) => {
      try {
        resolveAlertmanagerOptions(options);
      } catch (e) {
        expect(e).toBeInstanceOf(OptionsError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(error({ receiver: 'email' })).toMatch(
      /\/email: receiver "email" needs where to send/,
    );
    expect(error({ receiver: 'pager' })).toMatch(/\/receiver/);
    expect(error({ slackChannel: '#x' })).toMatch(
      /\/slackChannel: only read with receiver "slack"/,
    );
    expect(error({ groupInterval: '10m', repeatInterval: '5m' })).toMatch(
      /\/repeatInterval: got 5m, expected at least groupInterval 10m/,
    );
  });
});
