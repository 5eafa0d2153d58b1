// NetworkPolicy enforced on the node, as a minikube user gets it from a CNI that enforces policies (`--cni=calico`):
// kube-router with its firewall only (its network policy controller: iptables chains and ipsets per pod and policy),
// beside the bridge CNI and kube-proxy. Started for the groups that need it and stopped after, leaving no chain or set.

import { run, succeeds } from '../../support/exec.js';
import { goBuild } from '../../support/go-build.js';
import { KUBECONFIG } from '../../support/paths.js';
import { kubeRouter } from '../../support/recipes.js';
import {
  logFile,
  startDaemon,
  stopDaemon,
  tail,
  waitUntil,
} from './daemons.js';
import { installPackages, removeChains } from './host.js';
import { phase } from './phases.js';
import { readRecord, saveRecord } from './state.js';
import { NODE_NAME, SERVICE_CIDR } from './topology.js';

/** The daemon's name in the cluster record; `down` stops it with the other node agents. */
export const ENFORCER = 'kube-router';
/** kube-router's health endpoint (its default port), answering once its controllers run. */
const HEALTH_PORT = 20244;

/** kube-router's iptables chains (netpol's network_policy_controller.go) and its ipsets' name prefixes. */
export const ENFORCER_CHAINS =
  /^KUBE-(ROUTER-(INPUT|FORWARD|OUTPUT)|POD-FW-|NWPLCY-)/;
const ENFORCER_SETS = /^KUBE-(SRC|DST)-/;

/** The ipset tool kube-router drives: Debian's, as kube-router's own image ships it. */
const PACKAGES = ['ipset'] as const;

export interface PolicyEnforcer {
  stop(): Promise<void>;
}

/** Starts kube-router's firewall on the node and waits until its health endpoint and its base chains are there. */
export async function startPolicyEnforcer(): Promise<PolicyEnforcer> {
  const { 'kube-router': binary } = await phase(
    `binaries: ${kubeRouter.id} ${kubeRouter.version}`,
    () => goBuild(kubeRouter),
  );
  installPackages(PACKAGES);
  const record = readRecord();
  if (!record)
    throw new Error('no e2e cluster is recorded: run pnpm e2e:up first');
  const daemon = startDaemon(record, ENFORCER, binary!, [
    `--kubeconfig=${KUBECONFIG}`,
    `--hostname-override=${NODE_NAME}`,
    '--run-firewall=true',
    '--run-router=false',
    '--run-service-proxy=false',
    '--enable-cni=false',
    '--enable-ipv6=false',
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    `--health-port=${HEALTH_PORT}`,
  ]);
  await waitUntil(
    'kube-router (its network policy controller)',
    120,
    async () =>
      (await fetch(`http://127.0.0.1:${HEALTH_PORT}/healthz`)).ok &&
      run('iptables-save', ['-t', 'filter']).includes(':KUBE-ROUTER-FORWARD'),
    () => `last lines of ${logFile(ENFORCER)}:\n${tail(ENFORCER)}`,
    [daemon],
  );
  return {
    async stop() {
      await stopDaemon(daemon);
      removeEnforcerState();
      const after = readRecord();
      if (after) {
        after.processes = after.processes.filter((p) => p.pid !== daemon.pid);
        saveRecord(after);
      }
    },
  };
}

/**
 * What kube-router leaves when it stops: its chains (and the jumps to them) and its ipsets. Its own
 * `--cleanup-config` does nothing for the firewall in this version (it cleans a controller it never set up).
 */
export function removeEnforcerState(): void {
  removeChains(ENFORCER_CHAINS);
  if (!succeeds('ipset', ['--version'])) return;
  for (const set of run('ipset', ['list', '-n']).split('\n'))
    if (ENFORCER_SETS.test(set)) run('ipset', ['destroy', set]);
}
