// Point 3 of the data path: known lines arrive in Loki exactly once, with their labels, stream and timestamp, long
// lines joined; and the collector leaves pods of other nodes alone.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { beforeAll, expect, it } from 'vitest';
import { applyObjects, kubectl } from '../harness/kubectl.js';
import { componentPods } from './common.js';
import type { Stack } from '../harness/observe.js';
import { waitForPodsReady } from '../harness/pods.js';
import { NODE_NAME } from '../harness/topology.js';
import { APP_NAMESPACE, BURST, expectedLines, ghost, GHOST_NODE, logWriter, MARK } from '../harness/workloads.js';

/** An RFC 3339 time with up to nine fractional digits, as the runtime writes it, in ns since the epoch. */
function nanoseconds(time: string): bigint {
  const m = /^([^.]+?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(time);
  if (!m) throw new Error(`not an RFC 3339 time: ${time}`);
  return BigInt(Date.parse(`${m[1]}${m[3]}`)) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/** The runtime's own record of a container's lines: the CRI log file under /var/log/pods, joined as the collector joins it. */
function runtimeLines(pod: Pod, container: string): Array<{ ts: bigint; line: string; stream: string }> {
  const dir = join('/var/log/pods', `${pod.metadata!.namespace}_${pod.metadata!.name}_${pod.metadata!.uid}`, container);
  const entries = readdirSync(dir).filter((f) => /^\d+\.log$/.test(f)).sort().flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean));
  const lines: Array<{ ts: bigint; line: string; stream: string }> = [];
  let partial: { ts: bigint; line: string; stream: string } | undefined;
  for (const entry of entries) {
    const m = /^(\S+) (stdout|stderr) ([PF]) (.*)$/.exec(entry);
    if (!m) throw new Error(`not a CRI log entry: ${entry.slice(0, 100)}`);
    const [, time, stream, flag, text] = m as unknown as [string, string, string, string, string];
    const ts = nanoseconds(time);
    // A partial line's timestamp is its first entry's, as the collector keeps it.
    partial = partial ? { ...partial, line: partial.line + text } : { ts, line: text, stream };
    if (flag === 'F') {
      lines.push(partial);
      partial = undefined;
    }
  }
  return lines;
}

export function logsSuite(stack: Stack): void {
  let writer: Pod;

  beforeAll(async () => {
    applyObjects([logWriter()]);
    writer = (await waitForPodsReady(APP_NAMESPACE, { seconds: 120 })).find((p) => p.metadata!.name === 'e2e-log-writer')!;
  });

  it(`delivers every line once within 30 s: stdout, stderr, a 20 KB line the runtime split, UTF-8, and a burst of ${BURST}`, async () => {
    const expected = expectedLines();
    const selector = `{namespace="${APP_NAMESPACE}", pod="e2e-log-writer"}`;
    const t0 = Date.now();
    let lines = stack.logs(selector);
    while (lines.length < expected.length && Date.now() - t0 < 30_000) {
      await new Promise((r) => setTimeout(r, 2000));
      lines = stack.logs(selector);
    }
    console.log(`logs: ${lines.length} of ${expected.length} lines in Loki ${((Date.now() - t0) / 1000).toFixed(1)} s after the writer was Ready`);
    const counts = new Map<string, number>();
    for (const l of lines) counts.set(l.line, (counts.get(l.line) ?? 0) + 1);
    const missing = expected.filter((e) => !counts.has(e.line)).map((e) => e.line.slice(0, 60));
    const duplicated = [...counts].filter(([, n]) => n > 1).map(([l, n]) => `${l.slice(0, 60)} ×${n}`);
    const unexpected = [...counts.keys()].filter((l) => !expected.some((e) => e.line === l)).map((l) => l.slice(0, 120));
    expect({ missing: missing.slice(0, 10), missingCount: missing.length, duplicated: duplicated.slice(0, 10), unexpected: unexpected.slice(0, 10) }).toEqual({ missing: [], missingCount: 0, duplicated: [], unexpected: [] });
    expect(lines).toHaveLength(expected.length);
  });

  it('labels each line with namespace, pod, container, node, app and its stream', () => {
    const lines = stack.logs(`{namespace="${APP_NAMESPACE}", pod="e2e-log-writer"} |~ "${MARK} (stdout|stderr|utf8)"`);
    const byLine = new Map(lines.map((l) => [l.line, l.stream]));
    for (const e of expectedLines().filter((x) => /stdout$|stderr$|utf8/.test(x.line))) {
      expect(byLine.get(e.line), e.line).toMatchObject({ namespace: APP_NAMESPACE, pod: 'e2e-log-writer', container: 'main', node: NODE_NAME, app: 'e2e-log-writer', stream: e.stream });
    }
  });

  it('keeps the timestamp the runtime recorded for each line, within 1 s, and joins the long line whole', () => {
    const recorded = runtimeLines(writer, 'main');
    const inLoki = new Map(stack.logs(`{namespace="${APP_NAMESPACE}", pod="e2e-log-writer"}`).map((l) => [l.line, l.ts]));
    expect(recorded.length).toBe(expectedLines().length);
    const off = recorded.filter((r) => {
      const ts = inLoki.get(r.line);
      return ts === undefined || (ts > r.ts ? ts - r.ts : r.ts - ts) > 1_000_000_000n;
    });
    expect(off.map((r) => `${r.line.slice(0, 50)} runtime ${r.ts} loki ${inLoki.get(r.line)}`).slice(0, 5)).toEqual([]);
    const long = expectedLines()[2]!.line;
    expect(recorded.find((r) => r.line === long), 'the runtime wrote the long line as partial entries').toBeDefined();
    expect(inLoki.has(long), 'the long line is one entry in Loki').toBe(true);
  });

  it('does not try to tail a pod bound to another node', async () => {
    applyObjects(ghost());
    try {
      const collector = componentPods(stack.namespace, 'promtail')[0]!;
      const page = (path: string) => kubectl(['get', '--raw', `/api/v1/namespaces/${stack.namespace}/pods/${collector.metadata!.name}:3101/proxy${path}`]);
      expect(kubectl(['-n', APP_NAMESPACE, 'get', 'pod', 'e2e-ghost', '-o', 'jsonpath={.spec.nodeName}'])).toBe(GHOST_NODE);
      // The API server has the pod; give the collector's watch time to see it, were it asking for it.
      await new Promise((r) => setTimeout(r, 10_000));
      const discovered = page('/service-discovery');
      expect(discovered, 'the collector discovers this node\'s writer').toContain('e2e-log-writer');
      expect(discovered).not.toContain('e2e-ghost');
      expect(page('/targets')).not.toContain('e2e-ghost');
    } finally {
      kubectl(['delete', 'pod', '-n', APP_NAMESPACE, 'e2e-ghost', '--grace-period=0', '--force', '--ignore-not-found']);
      kubectl(['delete', 'node', GHOST_NODE, '--ignore-not-found']);
    }
  });
}
