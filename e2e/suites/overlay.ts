// One overlay on the e2e node: applied server-side, every pod but Grafana's Ready with zero restarts,
// then the data path: targets, rules, logs, the known outages, durability, dashboards, alerts, measurements.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type KubeObject, LOG_COLLECTORS, STACK, toBytes } from '@plgkit/core';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CAPTURED_MARK,
  FIXTURES_DIR,
} from '../../support/fixture-prometheus.js';
import { allContainers, workloads } from '../../support/inspect.js';
import { RECORDING } from '../../support/measured.js';
import { overlayCollector, renderOverlay } from '../../support/render.js';
import { documentedAccess, ownGrants } from '../harness/access.js';
import { CAPTURED_ALLOY, captureAlloy } from '../harness/capture.js';
import { memoryValue } from '../harness/cgroups.js';
import { provideAlloyImage } from '../harness/cluster.js';
import {
  applyObjects,
  kubectl,
  kubectlJson,
  plgkit,
} from '../harness/kubectl.js';
import { Stack } from '../harness/observe.js';
import { podState, pods, waitForPodsReady } from '../harness/pods.js';
import {
  type Applied,
  applyOverlay,
  createGrafanaSecret,
  deleteOverlay,
  GRAFANA,
  NAMESPACE,
  REPO,
  waitGone,
} from '../harness/stack.js';
import { GRAFANA_RUNS, TARGET } from '../harness/target.js';
import { targetNodeName } from '../harness/target-node.js';
import type { NodeRuntime } from '../harness/topology.js';
import { APP_NAMESPACE, namespace } from '../harness/workloads.js';
import { alertsSuite } from './alerts.js';
import { checkSuite } from './check.js';
import { lineThroughCollector } from './common.js';
import { dashboardsSuite } from './dashboards.js';
import {
  deliverySuite,
  resolvedSuite,
  useWebhookReceiver,
} from './delivery.js';
import { durabilitySuite } from './durability.js';
import { faultsSuite } from './faults.js';
import {
  describeOnHarnessNode,
  onHarnessImages,
  onHarnessNode,
} from './harness-only.js';
import { logsSuite } from './logs.js';
import { measureSuite } from './measure.js';
import { metricsSuite } from './metrics.js';
import { networkPoliciesSuite } from './network-policies.js';

/** Pod Security warnings the README names as exceptions (Security: "Two exceptions: the log collector (Promtail or
 *  Alloy) and node-exporter"), by the stack model's names. */
const DOCUMENTED_EXCEPTIONS = new RegExp(
  [...LOG_COLLECTORS.map((c) => STACK[c].name), STACK.nodeExporter.name].join(
    '|',
  ),
);

/** The overlay every other is compared with, and that runs every group (10-overlays). */
const DEFAULT_OVERLAY = 'minikube';

/** The ConfigMaps that decide what Prometheus scrapes and evaluates and what the dashboards ask, by content-hashed name. */
const METRICS_CONFIG =
  /^(prometheus-config|prometheus-rules|grafana-dashboards|grafana-datasources)-/;

/**
 * Whether the overlay scrapes, evaluates and queries exactly as the default overlay does, with the same collector: its
 * metrics and dashboards groups would repeat the default's on the same components and configuration.
 */
function metricsAsDefault(overlay: string): boolean {
  const config = (name: string) =>
    renderOverlay(name)
      .filter(
        (o) => o.kind === 'ConfigMap' && METRICS_CONFIG.test(o.metadata.name),
      )
      .map((o) => o.metadata.name)
      .sort()
      .join();
  return (
    overlay !== DEFAULT_OVERLAY &&
    overlayCollector(overlay).collector ===
      overlayCollector(DEFAULT_OVERLAY).collector &&
    config(overlay) === config(DEFAULT_OVERLAY)
  );
}

/**
 * One overlay on the running node, from apply to delete. `full` adds the faults, durability, alerts and measuring
 * groups (the default overlay's on the containerd node: they prove components, which every overlay shares); every
 * run checks pods, resources, RBAC, logs, targets and rules, dashboards and check.
 */
export function overlaySuite(
  overlay: string,
  runtime: NodeRuntime,
  full: boolean,
): void {
  const dir = join(REPO, 'overlays', overlay);
  let objects: KubeObject[];
  let applied: Applied;
  let appliedAt = 0;
  // The collector and runtime Component the overlay lists.
  const declared = overlayCollector(overlay);
  const stack = new Stack(NAMESPACE, declared.collector);
  let running: Pod[] = [];

  beforeAll(async () => {
    // The harness's cluster has only the images it built; another cluster pulls Alloy's.
    if (stack.collector === 'alloy' && TARGET.harnessImages)
      await provideAlloyImage();
    objects = renderOverlay(overlay);
    // The containerd overlay ships no password: create the Secret first, as the README says.
    if (
      !objects.some(
        (o) =>
          o.kind === 'Secret' && o.metadata.name.startsWith('grafana-admin'),
      )
    )
      createGrafanaSecret();
    applied = applyOverlay(dir, objects);
    appliedAt = Date.now();
    applyObjects([namespace(APP_NAMESPACE)]);
  });

  afterAll(async () => {
    console.log(
      `overlays/${overlay}: pods\n${pods(NAMESPACE)
        .map((p) => `  ${podState(p)}`)
        .join('\n')}`,
    );
    kubectl([
      'delete',
      'namespace',
      APP_NAMESPACE,
      '--wait=false',
      '--ignore-not-found',
    ]);
    await waitGone(['namespace', APP_NAMESPACE]);
    await deleteOverlay(dir);
  });

  it("applies server-side (dry run, then for real) with no warning beyond the README's Pod Security exceptions", () => {
    const unexpected = applied.warnings.filter(
      (w) => !(w.includes('PodSecurity') && DOCUMENTED_EXCEPTIONS.test(w)),
    );
    expect(unexpected).toEqual([]);
  });

  /** Grafana's pods, where its image cannot be had: excepted from what must run. */
  const grafanaMissing = GRAFANA_RUNS ? /$^/ : GRAFANA;

  it(`runs every pod${GRAFANA_RUNS ? '' : " but Grafana's"} Ready within 5 minutes, with zero restarts`, async () => {
    running = await waitForPodsReady(NAMESPACE, {
      except: grafanaMissing,
      seconds: 300,
    });
    const expected = workloads(objects).filter(
      (w) => !grafanaMissing.test(`${w.metadata.name}-`),
    );
    for (const w of expected)
      expect(
        running.some((p) =>
          p.metadata!.name!.startsWith(`${w.metadata.name}-`),
        ),
        `${w.kind} ${w.metadata.name} has a pod`,
      ).toBe(true);
  });

  it('binds every PersistentVolumeClaim through the default StorageClass', () => {
    const claims = kubectlJson<{
      items: Array<{ metadata: { name: string }; status?: { phase?: string } }>;
    }>(['-n', NAMESPACE, 'get', 'pvc']).items;
    expect(claims.length).toBeGreaterThan(0);
    expect(
      claims
        .filter((c) => c.status?.phase !== 'Bound')
        .map((c) => c.metadata.name),
    ).toEqual([]);
  });

  /** Each running container with the container the overlay declares for it. */
  const declaredContainers = () =>
    workloads(objects).flatMap((w) =>
      running
        .filter(
          (p) =>
            p.metadata!.name!.startsWith(`${w.metadata.name}-`) &&
            !grafanaMissing.test(p.metadata!.name!),
        )
        .flatMap((pod) => allContainers(w).map((c) => ({ pod, c }))),
    );

  it('gives each container the resources the overlay sets', () => {
    const pairs = declaredContainers();
    for (const { pod, c } of pairs) {
      const actual =
        pod.spec!.containers.find((x) => x.name === c.name) ??
        pod.spec!.initContainers?.find((x) => x.name === c.name);
      expect(actual?.resources, `${pod.metadata!.name}/${c.name}`).toEqual(
        c.resources,
      );
    }
    expect(pairs.length).toBeGreaterThanOrEqual(5);
  });

  onHarnessNode(
    "enforces each container's memory limit in its memory cgroup",
    () => {
      let checked = 0;
      for (const { pod, c } of declaredContainers()) {
        const status = pod.status?.containerStatuses?.find(
          (s) => s.name === c.name,
        );
        const limit = c.resources?.limits?.memory;
        if (status?.containerID && limit) {
          expect(
            memoryValue(pod, status.containerID, 'memory.limit_in_bytes'),
            `${pod.metadata!.name}/${c.name} memory cgroup`,
          ).toBe(toBytes(String(limit)));
          checked++;
        }
      }
      expect(checked).toBeGreaterThanOrEqual(5);
    },
  );

  // The README's Security table has a row per component; each overlay runs one collector of the two.
  const otherCollector = stack.collector === 'alloy' ? 'Promtail' : 'Alloy';
  it.each(
    documentedAccess(REPO)
      .filter((d) => d.component !== otherCollector)
      .map((d) => [d.component, d] as const),
  )(
    "lets %s's ServiceAccount do what the README's Security table says, and nothing more",
    (_, documented) => {
      expect(
        kubectl([
          '-n',
          NAMESPACE,
          'get',
          'serviceaccount',
          documented.serviceAccount,
          '-o',
          'name',
        ]).trim(),
      ).toBe(`serviceaccount/${documented.serviceAccount}`);
      expect(
        [...ownGrants(NAMESPACE, documented.serviceAccount)].sort(),
      ).toEqual([...documented.grants].sort());
      // And through `kubectl auth can-i` one check at a time: every documented grant, and Secrets never.
      const as = `--as=system:serviceaccount:${NAMESPACE}:${documented.serviceAccount}`;
      const canI = (verb: string, what: string): string => {
        // `can-i get nodes/metrics` would ask about the node named "metrics": a subresource needs --subresource.
        const [resource, subresource] = what.startsWith('/')
          ? [what]
          : what.split('/');
        try {
          return kubectl([
            'auth',
            'can-i',
            verb,
            resource!,
            ...(subresource ? [`--subresource=${subresource}`] : []),
            as,
          ]).trim();
        } catch (e) {
          return (e as Error).message.includes('no')
            ? 'no'
            : (e as Error).message;
        }
      };
      for (const g of documented.grants) {
        const [verb, what] = g.split(' ') as [string, string];
        expect(
          canI(
            verb,
            what
              .replace(/^endpointslices$/, 'endpointslices.discovery.k8s.io')
              .replace(/^(deployments|daemonsets|statefulsets)$/, '$1.apps'),
          ),
          g,
        ).toBe('yes');
      }
      for (const denied of [
        'get secrets',
        'list configmaps',
        'create pods',
        'delete nodes',
      ])
        expect(canI(...(denied.split(' ') as [string, string])), denied).toBe(
          'no',
        );
    },
  );

  it("ships a container's line to Loki exactly as written, through the collector pipeline its runtime needs", async () => {
    const marker = `plgkit-e2e ${overlay} ${Date.now()}`;
    const { lines, seconds } = await lineThroughCollector(
      stack,
      NAMESPACE,
      'e2e-log-line',
      marker,
    );
    console.log(
      `overlays/${overlay}: the line reached Loki after ${seconds.toFixed(1)} s`,
    );
    // A CRI line read with the docker stage (or none) keeps its "<time> stdout F " prefix.
    expect(lines).toEqual([marker]);
  });

  it("plgkit doctor reports the node's runtime and that the overlay fits it; an overlay for the other runtime does not", async () => {
    const doctor = (overlayDir: string) =>
      plgkit(['doctor', `--overlay=${overlayDir}`]);
    const node = targetNodeName();
    const version = kubectlJson<Node>(['get', 'node', node]).status!.nodeInfo!
      .containerRuntimeVersion;
    expect(version).toMatch(new RegExp(`^${runtime}://`));
    const pipeline = declared.runtime;
    const fits = await doctor(dir);
    expect(fits.out.filter((l) => l.includes(`node ${node}`))).toEqual([
      `ok      node ${node}: runtime ${version}: the overlay's ${pipeline} log pipeline fits`,
    ]);
    expect(fits.code).toBe(0);
    const other = runtime === 'docker' ? 'containerd' : 'minikube-docker';
    const misfit = await doctor(join(REPO, 'overlays', other));
    expect(misfit.out.find((l) => l.includes(`node ${node}`))).toMatch(
      new RegExp(
        `^misfit +node ${node}: runtime ${runtime}://\\S+, but the overlay's log pipeline is ${runtime === 'docker' ? 'containerd' : 'docker'}'s`,
      ),
    );
    expect(misfit.code).toBe(1);
  });

  onHarnessImages(
    'leaves Grafana waiting for its image, which cannot be had here',
    () => {
      const grafana = pods(NAMESPACE).filter((p) =>
        GRAFANA.test(p.metadata!.name!),
      );
      expect(grafana).toHaveLength(1);
      const waiting =
        grafana[0]!.status?.containerStatuses?.[0]?.state?.waiting?.reason;
      expect(['ErrImagePull', 'ImagePullBackOff']).toContain(waiting);
    },
  );

  // Same components and configuration as the default overlay, which each node's run applies first: those groups ran
  // there, on the same runtime.
  const repeats = metricsAsDefault(overlay);
  if (repeats)
    console.log(
      `overlays/${overlay}: Prometheus's configuration and rules, the dashboards and the collector are overlays/${DEFAULT_OVERLAY}'s: its metrics and dashboards groups run there`,
    );
  else describe('metrics', () => metricsSuite(stack));
  describe('logs', () => logsSuite(stack, runtime));
  if (full) {
    it('sends alerts to a webhook in the cluster once its Secret and the receiver-webhook Component are applied, as the README says', async () => {
      await useWebhookReceiver(stack, overlay);
    });
    describe('faults', () => faultsSuite(stack, () => objects));
    describe('alert delivery', () => deliverySuite(stack));
  }
  // A collector restart loses and repeats nothing: proven for each collector (Alloy's own run is not `full`).
  if (full || stack.collector === 'alloy')
    describe('durability', () =>
      durabilitySuite(stack, overlay === 'minikube'));
  if (!repeats) describe('dashboards', () => dashboardsSuite(stack));
  describe('check', () => checkSuite(stack));
  if (stack.collector === 'alloy') {
    it('its /metrics is fixtures/metrics/alloy.txt, captured here (PLGKIT_E2E_RECORD=1 writes it again)', () => {
      if (RECORDING) captureAlloy(NAMESPACE);
      expect(
        readFileSync(join(FIXTURES_DIR, CAPTURED_ALLOY), 'utf8').split('\n')[0],
      ).toMatch(
        new RegExp(
          `^${CAPTURED_MARK} on \\S+: alloy docker\\.io/grafana/alloy:\\S+ :12345/metrics`,
        ),
      );
    });
  }
  if (full) {
    describe('alerts', () => alertsSuite(stack));
    // Memory from the node's cgroups, and figures recorded for the harness's cluster only.
    describeOnHarnessNode('measured', () =>
      measureSuite(stack, overlay, () => appliedAt),
    );
    // After measured: its restart of Alertmanager would hold the measuring back by two scrapes.
    describe('alert delivery, resolved', () => resolvedSuite(stack));
  }
  // Last: the policies go on over the running stack, with an engine that enforces them, and come off again. For
  // each collector: the default overlay's Promtail and Alloy's own run.
  if (full || stack.collector === 'alloy')
    // The policy engine runs on the node, beside the harness's CNI; another cluster's CNI may not enforce them.
    describeOnHarnessNode('network policies', () =>
      networkPoliciesSuite(stack, overlay),
    );
}
