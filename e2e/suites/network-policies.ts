// The overlay's NetworkPolicies (components/network-policies) on the running stack, enforced by a real policy engine
// on the node: the stack's own connections still work (the collector's pushes, every scrape), and a pod outside the
// stack can no longer push to Loki. The same push succeeds before the policies go on, so the refusal is the policies'.
import { connectionUrl, type KubeObject } from '@plgkit/core';
import type { Service } from 'kubernetes-types/core/v1.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { renderWithNetworkPolicies } from '../../support/render.js';
import { applyObjects, kubectl, kubectlJson } from '../harness/kubectl.js';
import type { Stack } from '../harness/observe.js';
import {
  type PolicyEnforcer,
  startPolicyEnforcer,
} from '../harness/policy-enforcer.js';
import { APP_NAMESPACE, stranger } from '../harness/workloads.js';
import { eventually, lineThroughCollector } from './common.js';

const STRANGER = 'e2e-stranger';
/** The stream a stranger's pushes go to, so the test can look for them in Loki. */
const STRANGER_JOB = 'e2e-stranger';

export function networkPoliciesSuite(stack: Stack, overlay: string): void {
  let enforcer: PolicyEnforcer | undefined;
  let policies: KubeObject[] = [];
  /** The collector's own push URL: what a pod outside the stack would use. */
  const pushUrl = connectionUrl(stack.collector, 'loki', stack.namespace);
  const strangers = [stack.namespace, APP_NAMESPACE];

  /**
   * One line pushed to Loki's push path from the stranger pod in `namespace`, as a raw HTTP/1.0 request through
   * busybox's `nc` to the Service's ClusterIP (this busybox's `wget` segfaults here, and its `nc` resolves no Service
   * name): whether Loki answered 204, and what failed otherwise.
   */
  const push = (namespace: string, line: string) => {
    const url = new URL(pushUrl);
    const service = kubectlJson<Service>([
      '-n',
      stack.namespace,
      'get',
      'service',
      url.hostname.split('.')[0]!,
    ]);
    const body = JSON.stringify({
      streams: [
        {
          stream: { job: STRANGER_JOB, from: namespace },
          values: [[`${Date.now()}000000`, line]],
        },
      ],
    });
    const request = [
      `POST ${url.pathname} HTTP/1.0`,
      `Host: ${url.host}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n');
    try {
      const answer = kubectl(
        [
          '-n',
          namespace,
          'exec',
          '-i',
          STRANGER,
          '--',
          'sh',
          '-c',
          // stdin stays open a while after the request: on a half-closed connection Go's HTTP server cancels the
          // request, and Loki answers 500 "context canceled".
          `{ cat; sleep 3; } | nc -w 5 ${service.spec!.clusterIP!} ${url.port}`,
        ],
        request,
      );
      const status = answer.split('\r\n')[0]!;
      return /^HTTP\/1\.[01] 204 /.test(status)
        ? { accepted: true, error: '' }
        : { accepted: false, error: status };
    } catch (e) {
      return { accepted: false, error: (e as Error).message };
    }
  };
  const strangerLines = () =>
    stack.logs(`{job="${STRANGER_JOB}"}`, 900).map((l) => l.line);

  beforeAll(async () => {
    enforcer = await startPolicyEnforcer();
    policies = renderWithNetworkPolicies(overlay).filter(
      (o) => o.kind === 'NetworkPolicy',
    );
    applyObjects(strangers.map((ns) => stranger(STRANGER, ns)));
    for (const ns of strangers)
      kubectl([
        '-n',
        ns,
        'wait',
        '--for=condition=Ready',
        `pod/${STRANGER}`,
        '--timeout=120s',
      ]);
  });

  afterAll(async () => {
    for (const p of policies)
      kubectl([
        '-n',
        p.metadata.namespace ?? stack.namespace,
        'delete',
        'networkpolicy',
        p.metadata.name,
        '--ignore-not-found',
      ]);
    for (const ns of strangers)
      kubectl(['-n', ns, 'delete', 'pod', STRANGER, '--ignore-not-found']);
    await enforcer?.stop();
  });

  it("without the policies, a pod outside the stack can push to Loki (the control: it proves the push works, so a refusal is the policies')", async () => {
    for (const ns of strangers) {
      const line = `${STRANGER} before ${ns} ${Date.now()}`;
      expect(push(ns, line), ns).toEqual({ accepted: true, error: '' });
    }
  });

  it("with the overlay's policies on, the same push is refused from the stack's namespace and from another one", async () => {
    expect(policies.map((p) => p.metadata.name).sort()).toContain('loki');
    applyObjects(policies);
    for (const ns of strangers) {
      const line = `${STRANGER} after ${ns} ${Date.now()}`;
      // The engine applies a new policy within seconds; until then the push still goes through.
      const last = await eventually(
        () => push(ns, `${line} ${Date.now()}`),
        (r) => !r.accepted,
        60,
      );
      expect(last.accepted, `${ns}: ${last.error}`).toBe(false);
      // kube-router rejects (a refused connection); an engine that drops makes nc time out.
      expect(last.error).toMatch(/Connection refused|timed out/);
    }
    const lines = strangerLines();
    expect(
      new Set(
        lines.filter((l) => l.includes(' before ')).map((l) => l.split(' ')[2]),
      ),
    ).toEqual(new Set(strangers));
    expect(lines.filter((l) => l.includes(' after '))).toEqual([]);
  });

  it("with the policies on, a container's line still reaches Loki through the collector", async () => {
    const marker = `plgkit-e2e ${overlay} with policies ${Date.now()}`;
    const { lines } = await lineThroughCollector(
      stack,
      APP_NAMESPACE,
      'e2e-policy-line',
      marker,
    );
    expect(lines).toEqual([marker]);
  });

  it('with the policies on, Prometheus still scrapes every target: each is up on a scrape made after they went on', async () => {
    const since = Date.now();
    const targets = await eventually(
      () => stack.targets(),
      (ts) => ts.every((t) => Date.parse(t.lastScrape) > since),
      180,
    );
    expect(targets.length).toBeGreaterThan(5);
    expect(
      targets
        .filter((t) => t.health !== 'up' || Date.parse(t.lastScrape) <= since)
        .map((t) => `${t.scrapeUrl}: ${t.health} ${t.lastError}`),
    ).toEqual([]);
  });
}
