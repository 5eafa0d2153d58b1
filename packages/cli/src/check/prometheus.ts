// Targets and rules, from Prometheus's API: each down target explained from its last scrape error, each unhealthy
// rule with its error.
import { type CheckResult, type Problem, verdict } from './model.js';

export interface Target {
  labels: Record<string, string>;
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

export interface RuleGroup {
  name: string;
  file: string;
  rules: Array<{ name: string; health: string; lastError?: string }>;
}

/** The fix a scrape error points to: RBAC for 403, the kubelet's certificate for x509, the pod for a refused connection. */
export function targetFix(t: Target, namespace: string): string {
  const e = t.lastError;
  const job = t.labels.job ?? '?';
  if (/\b403\b|forbidden/i.test(e)) {
    return `Prometheus's ServiceAccount is denied: grant it get on nodes/metrics in ClusterRole prometheus (the permissions check names the rule)`;
  }
  if (/\b401\b|unauthorized/i.test(e))
    return "the target refused Prometheus's token: check that its ServiceAccount token is mounted (automountServiceAccountToken)";
  if (/x509|certificate/i.test(e)) {
    return "the kubelet's serving certificate is not signed by the cluster CA (as on minikube and kind): set kubeletInsecureSkipVerify: true in the Prometheus options (plgkit's default)";
  }
  if (
    /connection refused|no route to host|i\/o timeout|deadline exceeded|no such host/i.test(
      e,
    )
  ) {
    const pod = t.labels.pod;
    return pod
      ? `nothing answers at ${t.scrapeUrl}: kubectl -n ${t.labels.namespace ?? namespace} describe pod ${pod}`
      : `nothing answers at ${t.scrapeUrl}: is the ${job} component running on that node?`;
  }
  return `the scrape of ${t.scrapeUrl} fails with the error above; check the ${job} component`;
}

export function targetsResult(
  targets: readonly Target[],
  namespace: string,
): CheckResult {
  if (targets.length === 0)
    return verdict(
      'targets',
      [
        {
          what: 'Prometheus has no targets',
          fix: 'its scrape config discovers nothing: check its ClusterRole (list pods, nodes, endpointslices)',
        },
      ],
      'no targets',
    );
  const down = targets.filter((t) => t.health === 'down');
  // `unknown` is a target not scraped yet: Prometheus (re)started within a scrape interval. Not a failure.
  const pending = targets.filter((t) => t.health === 'unknown').length;
  const problems: Problem[] = down.map((t) => ({
    what: `${t.labels.job}: ${t.scrapeUrl} is ${t.health}${t.lastError ? `: ${t.lastError}` : ''}`,
    fix: targetFix(t, namespace),
  }));
  const jobs = new Set(targets.map((t) => t.labels.job)).size;
  const notes =
    pending > 0
      ? [
          `${pending} target${pending === 1 ? ' is' : 's are'} not scraped yet (Prometheus started less than a scrape interval ago): run plgkit check again in a minute`,
        ]
      : [];
  return verdict(
    'targets',
    problems,
    `${targets.filter((t) => t.health === 'up').length} of ${targets.length} targets up in ${jobs} jobs`,
    notes,
  );
}

export function rulesResult(groups: readonly RuleGroup[]): CheckResult {
  // `unknown` is a rule not evaluated yet, as right after Prometheus starts.
  const problems: Problem[] = groups.flatMap((g) =>
    g.rules
      .filter((r) => r.health !== 'ok' && r.health !== 'unknown')
      .map((r) => ({
        what: `rule ${r.name} (group ${g.name}) is ${r.health}${r.lastError ? `: ${r.lastError}` : ''}`,
        fix: `fix its expression in ${g.file}; promtool check rules finds what Prometheus rejects`,
      })),
  );
  const rules = groups.reduce((n, g) => n + g.rules.length, 0);
  const pending = groups.reduce(
    (n, g) => n + g.rules.filter((r) => r.health === 'unknown').length,
    0,
  );
  const notes =
    pending > 0
      ? [
          `${pending} rule${pending === 1 ? ' is' : 's are'} not evaluated yet (Prometheus started moments ago)`,
        ]
      : [];
  return verdict(
    'rules',
    problems,
    `${rules - problems.length - pending} of ${rules} rules in ${groups.length} groups healthy`,
    notes,
  );
}
