// The data path for logs: known lines arrive in Loki exactly once, with their labels, stream and timestamp, long
// lines joined; every container's lines are there, the control plane's too; and the collector leaves pods of other
// nodes alone.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { beforeAll, expect, it } from 'vitest';
import { cpuUsageNs, memoryValue } from '../harness/cgroups.js';
import { CONTROL_PLANE_COMPONENTS } from '../harness/kubeadm.js';
import { applyObjects, kubectl, kubectlJson } from '../harness/kubectl.js';
import type { Stack } from '../harness/observe.js';
import { pods, waitForPodsReady } from '../harness/pods.js';
import { TARGET } from '../harness/target.js';
import { targetNodeName } from '../harness/target-node.js';
import type { NodeRuntime } from '../harness/topology.js';
import {
  APP_NAMESPACE,
  BURST,
  expectedLines,
  GHOST_NODE,
  ghost,
  logWriter,
  MARK,
} from '../harness/workloads.js';
import { componentPods, eventually } from './common.js';
import { onHarnessNode } from './harness-only.js';

/** An RFC 3339 time with up to nine fractional digits, as the runtime writes it, in ns since the epoch. */
function nanoseconds(time: string): bigint {
  const m = /^([^.]+?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(time);
  if (!m) throw new Error(`not an RFC 3339 time: ${time}`);
  return (
    BigInt(Date.parse(`${m[1]}${m[3]}`)) * 1_000_000n +
    BigInt((m[2] ?? '').padEnd(9, '0'))
  );
}

interface Entry {
  ts: bigint;
  line: string;
  stream: string;
  /** False for a piece of a line the runtime split (CRI `P`; docker: no trailing newline). */
  final: boolean;
}

/**
 * The runtime's own record of a container's output, entry by entry, from the files under /var/log/pods: the CRI
 * format on containerd, docker's JSON (through the kubelet's symlinks into /var/lib/docker/containers) on docker.
 */
function runtimeEntries(
  pod: Pod,
  container: string,
  runtime: NodeRuntime,
): Entry[] {
  const dir = join(
    '/var/log/pods',
    `${pod.metadata!.namespace}_${pod.metadata!.name}_${pod.metadata!.uid}`,
    container,
  );
  const raw = readdirSync(dir)
    .filter((f) => /^\d+\.log$/.test(f))
    .sort()
    .flatMap((f) =>
      readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean),
    );
  return raw.map((entry) => {
    if (runtime === 'docker') {
      const { log, stream, time } = JSON.parse(entry) as {
        log: string;
        stream: string;
        time: string;
      };
      return {
        ts: nanoseconds(time),
        line: log.replace(/\n$/, ''),
        stream,
        final: log.endsWith('\n'),
      };
    }
    const m = /^(\S+) (stdout|stderr) ([PF]) (.*)$/.exec(entry);
    if (!m) throw new Error(`not a CRI log entry: ${entry.slice(0, 100)}`);
    const [, time, stream, flag, text] = m as unknown as [
      string,
      string,
      string,
      string,
      string,
    ];
    return { ts: nanoseconds(time), line: text, stream, final: flag === 'F' };
  });
}

/** Pieces joined into lines, each with its first piece's timestamp, as the CRI stage joins them. */
function joined(entries: readonly Entry[]): Entry[] {
  const lines: Entry[] = [];
  let partial: Entry | undefined;
  for (const e of entries) {
    partial = partial ? { ...partial, line: partial.line + e.line } : { ...e };
    if (e.final) {
      lines.push({ ...partial, final: true });
      partial = undefined;
    }
  }
  return lines;
}

/**
 * What Loki should hold: every line as written. Promtail's docker stage cannot join the pieces docker splits a line
 * over 16 KiB into (grafana/loki#2281), so on docker that line is its pieces, each exactly as docker recorded it.
 */
function expectedInLoki(
  runtime: NodeRuntime,
  recorded: readonly Entry[],
): Entry[] {
  return runtime === 'docker' ? [...recorded] : joined(recorded);
}

/** Where each collector shows what it discovered and what it tails. */
const COLLECTOR_PAGES: Record<
  Stack['collector'],
  { port: number; discovery: string; tailing: string }
> = {
  promtail: {
    port: 3101,
    discovery: '/service-discovery',
    tailing: '/targets',
  },
  alloy: {
    port: 12345,
    discovery: '/api/v0/web/components/discovery.kubernetes.pods',
    tailing: '/api/v0/web/components/loki.source.file.pods',
  },
};

export function logsSuite(stack: Stack, runtime: NodeRuntime): void {
  let writer: Pod;

  /** The collector's container, and its CPU time before the writer's burst (read from the node's cgroups). */
  let collector: { pod: Pod; id: string; cpuBefore?: number };

  beforeAll(async () => {
    // The collector's running container (the stack may have been applied moments ago).
    const running = (p: Pod | undefined) =>
      !!p?.status?.containerStatuses?.[0]?.containerID &&
      !!p.status.containerStatuses[0].state?.running;
    const pod = (await eventually(
      () => componentPods(stack.namespace, stack.collector)[0],
      running,
      180,
    ))!;
    const id = pod.status!.containerStatuses![0]!.containerID!;
    collector = {
      pod,
      id,
      cpuBefore: TARGET.nodeAccess ? cpuUsageNs(pod, id) : undefined,
    };
    applyObjects([logWriter()]);
    writer = (await waitForPodsReady(APP_NAMESPACE, { seconds: 120 })).find(
      (p) => p.metadata!.name === 'e2e-log-writer',
    )!;
  });

  // The runtime's record is read from the node's files.
  onHarnessNode(
    `delivers every line once within 30 s: stdout, stderr, a 20 KB line the runtime split, UTF-8, and a burst of ${BURST}`,
    async () => {
      const written = expectedLines();
      const selector = `{namespace="${APP_NAMESPACE}", pod="e2e-log-writer"}`;
      const t0 = Date.now();
      // The writer's record is complete once its last line is in it; Loki should then hold what it says.
      let recorded = runtimeEntries(writer, 'main', runtime);
      let lines = stack.logs(selector);
      while (
        (joined(recorded).length < written.length ||
          lines.length < expectedInLoki(runtime, recorded).length) &&
        Date.now() - t0 < 30_000
      ) {
        await new Promise((r) => setTimeout(r, 2000));
        recorded = runtimeEntries(writer, 'main', runtime);
        lines = stack.logs(selector);
      }
      const expected = expectedInLoki(runtime, recorded);
      console.log(
        `logs: ${lines.length} of ${expected.length} lines in Loki ${((Date.now() - t0) / 1000).toFixed(1)} s after the writer was Ready`,
      );
      // The same burst for every collector: what it cost, for the README's Promtail-or-Alloy comparison.
      const cpuMs =
        (cpuUsageNs(collector.pod, collector.id) - collector.cpuBefore!) / 1e6;
      const peak =
        memoryValue(collector.pod, collector.id, 'memory.max_usage_in_bytes') /
        1024 /
        1024;
      const rss =
        memoryValue(collector.pod, collector.id, 'memory.stat', 'total_rss') /
        1024 /
        1024;
      console.log(
        `logs: ${stack.collector} used ${cpuMs.toFixed(0)} ms of CPU for the burst; RSS ${rss.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB`,
      );
      // The runtime interleaves stdout and stderr in the order it reads them: compare as sets of lines.
      expect(
        joined(recorded)
          .map((r) => r.line)
          .sort(),
        'the runtime recorded every line as written',
      ).toEqual(written.map((w) => w.line).sort());
      const counts = new Map<string, number>();
      for (const l of lines) counts.set(l.line, (counts.get(l.line) ?? 0) + 1);
      const missing = expected
        .filter((e) => !counts.has(e.line))
        .map((e) => e.line.slice(0, 60));
      const duplicated = [...counts]
        .filter(([, n]) => n > 1)
        .map(([l, n]) => `${l.slice(0, 60)} ×${n}`);
      const unexpected = [...counts.keys()]
        .filter((l) => !expected.some((e) => e.line === l))
        .map((l) => l.slice(0, 120));
      expect({
        missing: missing.slice(0, 10),
        missingCount: missing.length,
        duplicated: duplicated.slice(0, 10),
        unexpected: unexpected.slice(0, 10),
      }).toEqual({
        missing: [],
        missingCount: 0,
        duplicated: [],
        unexpected: [],
      });
      expect(lines).toHaveLength(expected.length);
    },
  );

  it('labels each line with namespace, pod, container, node, app and its stream', async () => {
    const labelled = expectedLines().filter((x) =>
      /stdout$|stderr$|utf8/.test(x.line),
    );
    // Within the delivery test's 30 s, which an outside run skips.
    const lines = await eventually(
      () =>
        stack.logs(
          `{namespace="${APP_NAMESPACE}", pod="e2e-log-writer"} |~ "${MARK} (stdout|stderr|utf8)"`,
        ),
      (ls) => ls.length >= labelled.length,
      30,
    );
    const byLine = new Map(lines.map((l) => [l.line, l.stream]));
    for (const e of labelled) {
      expect(byLine.get(e.line), e.line).toMatchObject({
        namespace: APP_NAMESPACE,
        pod: 'e2e-log-writer',
        container: 'main',
        node: targetNodeName(),
        app: 'e2e-log-writer',
        stream: e.stream,
      });
    }
  });

  onHarnessNode(
    `keeps the timestamp the runtime recorded for each line, within 1 s, and ${runtime === 'docker' ? 'keeps the pieces of the long line docker split, in order' : 'joins the long line whole'}`,
    () => {
      const recorded = runtimeEntries(writer, 'main', runtime);
      const expected = expectedInLoki(runtime, recorded);
      const inLoki = new Map(
        stack
          .logs(`{namespace="${APP_NAMESPACE}", pod="e2e-log-writer"}`)
          .map((l) => [l.line, l.ts]),
      );
      const off = expected.filter((r) => {
        const ts = inLoki.get(r.line);
        return (
          ts === undefined ||
          (ts > r.ts ? ts - r.ts : r.ts - ts) > 1_000_000_000n
        );
      });
      expect(
        off
          .map(
            (r) =>
              `${r.line.slice(0, 50)} runtime ${r.ts} loki ${inLoki.get(r.line)}`,
          )
          .slice(0, 5),
      ).toEqual([]);
      const long = expectedLines()[2]!.line;
      const pieces = recorded.slice(
        recorded.findIndex((r) => long.startsWith(r.line) && !r.final),
      );
      expect(
        pieces.length,
        'the runtime wrote the long line as partial entries',
      ).toBeGreaterThan(1);
      if (runtime === 'docker') {
        const inOrder = pieces.slice(0, pieces.findIndex((p) => p.final) + 1);
        expect(
          inOrder.map((p) => p.line).join(''),
          'the pieces make the line',
        ).toBe(long);
        expect(
          inOrder.every((p) => inLoki.has(p.line)),
          'each piece is one entry in Loki',
        ).toBe(true);
      } else {
        expect(inLoki.has(long), 'the long line is one entry in Loki').toBe(
          true,
        );
      }
    },
  );

  it("has the lines of every running container since the stack started: each namespace's, the control plane's static pods', the stack's own", async () => {
    // Lines from before this stack went to the one before it, if any (the collector's positions on the node go on
    // from there): what is asked for is every line since the first of this stack's pods started.
    const stackStarted = pods(stack.namespace)
      .map((p) => p.status?.startTime)
      .filter((t): t is string => !!t)
      .sort()[0]!;
    const containers = kubectlJson<{ items: Pod[] }>([
      'get',
      'pods',
      '-A',
      '--field-selector=status.phase=Running',
    ]).items.flatMap((p) =>
      (p.status?.containerStatuses ?? [])
        .filter((c) => c.state?.running)
        .map((c) => ({
          namespace: p.metadata!.namespace!,
          pod: p.metadata!.name!,
          container: c.name,
        })),
    );
    const name = (c: (typeof containers)[number]) =>
      `${c.namespace}/${c.pod}/${c.container}`;
    const silent: string[] = [];
    const missing: string[] = [];
    const found: typeof containers = [];
    for (const c of containers) {
      // What the runtime's log file holds since then, as `kubectl logs` reads it.
      const wrote =
        kubectl([
          '-n',
          c.namespace,
          'logs',
          c.pod,
          '-c',
          c.container,
          `--since-time=${stackStarted}`,
          '--tail=1',
        ]).trim() !== '';
      if (!wrote) {
        silent.push(name(c));
        continue;
      }
      const selector = `{namespace="${c.namespace}", pod="${c.pod}", container="${c.container}"}`;
      if (
        await eventually(
          () => stack.hasLines(selector, 3 * 3600),
          (has) => has,
          60,
        )
      )
        found.push(c);
      else missing.push(name(c));
    }
    console.log(
      `${containers.length} running containers; wrote since the stack started and have lines in Loki: ${found.map(name).join(', ')}; silent since: ${silent.join(', ') || 'none'}`,
    );
    expect(missing).toEqual([]);
    // The stack's own containers all write at start; and the control plane's static pods are read too.
    expect(silent.filter((s) => s.startsWith(`${stack.namespace}/`))).toEqual(
      [],
    );
    expect(
      found.filter(
        (c) =>
          c.namespace === 'kube-system' &&
          (CONTROL_PLANE_COMPONENTS as readonly string[]).includes(c.container),
      ).length,
    ).toBeGreaterThan(0);
  });

  it('does not try to tail a pod bound to another node', async () => {
    applyObjects(ghost());
    try {
      const collector = componentPods(stack.namespace, stack.collector)[0]!;
      // What the collector discovered and tails: Promtail's pages, or Alloy's component API (its exports).
      const { port, discovery, tailing } = COLLECTOR_PAGES[stack.collector];
      const page = (path: string) =>
        kubectl([
          'get',
          '--raw',
          `/api/v1/namespaces/${stack.namespace}/pods/${collector.metadata!.name}:${port}/proxy${path}`,
        ]);
      expect(
        kubectl([
          '-n',
          APP_NAMESPACE,
          'get',
          'pod',
          'e2e-ghost',
          '-o',
          'jsonpath={.spec.nodeName}',
        ]),
      ).toBe(GHOST_NODE);
      // The API server has the pod; give the collector's watch time to see it, were it asking for it.
      await new Promise((r) => setTimeout(r, 10_000));
      const discovered = page(discovery);
      expect(
        discovered,
        "the collector discovers this node's writer",
      ).toContain('e2e-log-writer');
      expect(discovered).not.toContain('e2e-ghost');
      expect(page(tailing)).not.toContain('e2e-ghost');
    } finally {
      kubectl([
        'delete',
        'pod',
        '-n',
        APP_NAMESPACE,
        'e2e-ghost',
        '--grace-period=0',
        '--force',
        '--ignore-not-found',
      ]);
      kubectl(['delete', 'node', GHOST_NODE, '--ignore-not-found']);
      // The DaemonSets made a Pending pod for the ghost node; the controller removes it only minutes later.
      const stranded = kubectlJson<{ items: Pod[] }>([
        '-n',
        stack.namespace,
        'get',
        'pods',
      ]).items.filter((p) =>
        JSON.stringify(p.spec?.affinity ?? {}).includes(GHOST_NODE),
      );
      for (const p of stranded)
        kubectl([
          '-n',
          stack.namespace,
          'delete',
          'pod',
          p.metadata!.name!,
          '--grace-period=0',
          '--force',
          '--ignore-not-found',
        ]);
    }
  });
}
