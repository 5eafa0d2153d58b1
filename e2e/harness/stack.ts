// Applying an overlay to the e2e cluster and reading back what it became.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { type KubeObject, LOG_COLLECTORS, STACK } from '@plgkit/core';
import { stringify } from 'yaml';
import { sleep } from './daemons.js';
import { kubectl, kubectlFull } from './kubectl.js';

export const REPO = join(import.meta.dirname, '..', '..');
export const NAMESPACE = 'monitoring';
/** Grafana's server can't be built or pulled here (not on the Go module proxy, not in Debian). */
export const GRAFANA = /^grafana-/;

/** The README's way to give the containerd overlay its Grafana password: a Secret made before the apply. */
export function createGrafanaSecret(): void {
  kubectl(['create', 'namespace', NAMESPACE]);
  kubectl([
    '-n',
    NAMESPACE,
    'create',
    'secret',
    'generic',
    'grafana-admin',
    '--from-literal=admin-user=admin',
    `--from-literal=admin-password=${randomBytes(18).toString('base64')}`,
  ]);
}

export interface Applied {
  /** Every "Warning:" line kubectl printed, dry run and real apply. */
  readonly warnings: string[];
}

/**
 * Server-side apply, as `kubectl apply -k` with the cluster's own kubectl: a server dry run first, then for real.
 * The overlay's Namespace is applied first, as a dry run of namespaced objects needs their namespace to exist.
 */
export function applyOverlay(
  dir: string,
  objects: readonly KubeObject[],
): Applied {
  const namespaces = objects.filter((o) => o.kind === 'Namespace');
  if (namespaces.length > 0)
    kubectlFull(
      ['apply', '--server-side', '--field-manager=plgkit-e2e', '-f', '-'],
      namespaces.map((n) => stringify(n)).join('---\n'),
    );
  const args = [
    'apply',
    '--server-side',
    '--field-manager=plgkit-e2e',
    '-k',
    dir,
  ];
  const dry = kubectlFull([...args, '--dry-run=server']);
  const real = kubectlFull(args);
  const warnings = [dry.stderr, real.stderr]
    .flatMap((s) => s.split('\n'))
    .filter((l) => l.startsWith('Warning:'));
  return { warnings };
}

/**
 * Deletes what the overlay made, waits until its namespace and the volumes it claimed are gone. The log collector
 * goes first, while Loki still answers: deleted together, it would retry the gone Loki for its whole grace period.
 */
export async function deleteOverlay(dir: string): Promise<void> {
  const t0 = Date.now();
  const collectors = LOG_COLLECTORS.map((k) => STACK[k].name).join(',');
  kubectl([
    '-n',
    NAMESPACE,
    'delete',
    'daemonset',
    '-l',
    `app.kubernetes.io/name in (${collectors})`,
    '--ignore-not-found',
    '--wait=true',
    '--timeout=120s',
  ]);
  await waitGone([
    '-n',
    NAMESPACE,
    'pods',
    '-l',
    `app.kubernetes.io/name in (${collectors})`,
  ]);
  const collectorGone = (Date.now() - t0) / 1000;
  kubectl([
    'delete',
    '-k',
    dir,
    '--ignore-not-found',
    '--wait=true',
    '--timeout=180s',
  ]);
  await waitGone(['namespace', NAMESPACE]);
  for (
    let i = 0;
    i < 120 && kubectl(['get', 'pv', '-o', 'name']).trim() !== '';
    i++
  )
    await sleep(1000);
  console.log(
    `deleted ${dir}: the collector in ${collectorGone.toFixed(0)} s, all in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
}

export async function waitGone(what: string[], seconds = 180): Promise<void> {
  for (let i = 0; i < seconds; i++) {
    if (
      kubectl(['get', ...what, '--ignore-not-found', '-o', 'name']).trim() ===
      ''
    )
      return;
    await sleep(1000);
  }
  throw new Error(`${what.join(' ')} still exists after ${seconds} s`);
}
