// Whether alerts reach anyone: Alertmanager answers with its config loaded, Prometheus sends to it, and its default
// route ends at a receiver that delivers somewhere.
import { DEFAULTS as ALERTMANAGER } from '@plgkit/alertmanager';
import { connectionAddress } from '@plgkit/core';
import { parse } from 'yaml';
import { type CheckResult, type Problem, verdict } from './model.js';

/** Alertmanager's /api/v2/status, as far as the check reads it. */
export interface AlertmanagerStatus {
  readonly config: { readonly original: string };
  readonly versionInfo?: { readonly version?: string };
}

interface Receiver {
  name: string;
  [kind: string]: unknown;
}

/** The notifier kinds a receiver has (webhook, slack, email…), from its `<kind>_configs` keys. */
export function receiverKinds(r: Receiver): string[] {
  return Object.entries(r)
    .filter(
      ([k, v]) => k.endsWith('_configs') && Array.isArray(v) && v.length > 0,
    )
    .map(([k]) => k.replace(/_configs$/, ''));
}

export function alertingResult(
  status: AlertmanagerStatus,
  alertmanagersOfPrometheus: readonly string[],
  namespace: string,
): CheckResult {
  const config = parse(status.config.original) as {
    route?: { receiver?: string };
    receivers?: Receiver[];
  };
  const name = config.route?.receiver;
  const receiver = (config.receivers ?? []).find((r) => r.name === name);
  const kinds = receiver ? receiverKinds(receiver) : [];
  const problems: Problem[] = [];
  if (alertmanagersOfPrometheus.length === 0)
    problems.push({
      what: 'Prometheus sends its alerts to no Alertmanager',
      fix: `re-apply the prometheus base (kubectl apply -k): its prometheus.yml names ${connectionAddress('prometheus', 'alertmanager', namespace)} under alerting`,
    });
  const notes =
    kinds.length === 0
      ? [
          `alerts are delivered nowhere (receiver ${name ?? '(none)'} has no webhook, Slack or email): put the URL in the Secret ${ALERTMANAGER.receiverSecret} and add the receiver-webhook or receiver-slack Component (README: Send them somewhere)`,
        ]
      : [];
  return verdict(
    'alerting',
    problems,
    `${['Alertmanager', status.versionInfo?.version].filter(Boolean).join(' ')} answers with its config loaded; Prometheus sends to ${alertmanagersOfPrometheus.length}; alerts go to ${kinds.length > 0 ? kinds.join(', ') : 'no one'}`,
    notes,
  );
}
