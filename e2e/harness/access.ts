// What a ServiceAccount may do, read from the cluster (`kubectl auth can-i --list`) and from the README's table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubectl } from './kubectl.js';

/** "verb resource" or "verb /url", e.g. "get nodes/metrics", "get /metrics". */
export type Grant = string;

function bareResource(resource: string): string {
  // can-i prints group-qualified names ("deployments.apps"); the README writes bare ones. "nodes/metrics" has no group.
  const [name, ...group] = resource.split('.');
  return group.length > 0 && !name!.includes('/') ? name! : resource;
}

/** `kubectl auth can-i --list` as the ServiceAccount, as a set of grants. */
export function grantsInCluster(
  namespace: string,
  serviceAccount: string,
): Set<Grant> {
  const out = kubectl([
    'auth',
    'can-i',
    '--list',
    `--as=system:serviceaccount:${namespace}:${serviceAccount}`,
    `-n`,
    namespace,
  ]);
  const [header, ...rows] = out.trimEnd().split('\n');
  const cols = [
    'Resources',
    'Non-Resource URLs',
    'Resource Names',
    'Verbs',
  ].map((h) => header!.indexOf(h));
  const grants = new Set<Grant>();
  for (const row of rows) {
    const cell = (i: number): string =>
      row.slice(cols[i], i + 1 < cols.length ? cols[i + 1] : undefined).trim();
    const list = (s: string): string[] =>
      s
        .replace(/^\[|\]$/g, '')
        .split(' ')
        .filter(Boolean);
    const verbs = list(cell(3));
    const targets = cell(0) ? [bareResource(cell(0))] : list(cell(1));
    for (const v of verbs) for (const t of targets) grants.add(`${v} ${t}`);
  }
  return grants;
}

/** What the ServiceAccount is granted beyond what every authenticated account gets (the namespace's `default`). */
export function ownGrants(
  namespace: string,
  serviceAccount: string,
): Set<Grant> {
  const baseline = grantsInCluster(namespace, 'default');
  return new Set(
    [...grantsInCluster(namespace, serviceAccount)].filter(
      (g) => !baseline.has(g),
    ),
  );
}

export interface DocumentedAccess {
  readonly component: string;
  readonly serviceAccount: string;
  readonly grants: Set<Grant>;
}

/**
 * The README's Security table, "may do in the API" column: "get/list/watch nodes, pods; get /metrics" or
 * "nothing (no token mounted)".
 */
export function documentedAccess(repo: string): DocumentedAccess[] {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Security'));
  const rows = section
    .split('\n')
    .filter(
      (l) =>
        l.startsWith('| ') &&
        !l.startsWith('| component') &&
        !l.startsWith('| ---'),
    );
  return rows.map((row) => {
    const [component, , access] = row
      .split('|')
      .slice(1)
      .map((c) => c.trim());
    const grants = new Set<Grant>();
    if (!access!.startsWith('nothing')) {
      for (const clause of access!.split(';').map((c) => c.trim())) {
        const [verbs, ...rest] = clause.split(' ');
        for (const target of rest
          .join(' ')
          .split(',')
          .map((t) => t.trim()))
          for (const v of verbs!.split('/')) grants.add(`${v} ${target}`);
      }
    }
    return {
      component: component!,
      serviceAccount: component!.toLowerCase(),
      grants,
    };
  });
}
