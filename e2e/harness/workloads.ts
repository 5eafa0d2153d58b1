// The test workloads the data-path tests run, as typed objects: known log lines, an annotated /metrics endpoint, a
// container that is OOMKilled once, and a Pod bound to a Node no collector runs on.
import type {
  Namespace,
  Node,
  Pod,
  Service,
} from 'kubernetes-types/core/v1.js';
import { BUSYBOX_IMAGE } from '../../support/versions.js';

export const APP_NAMESPACE = 'e2e-app';

export function namespace(name: string): Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

function busyboxPod(
  name: string,
  script: string,
  extra: {
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    memory?: string;
    nodeName?: string;
    port?: number;
  } = {},
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: extra.namespace ?? APP_NAMESPACE,
      labels: { 'app.kubernetes.io/name': name, ...extra.labels },
      ...(extra.annotations ? { annotations: extra.annotations } : {}),
    },
    spec: {
      ...(extra.nodeName ? { nodeName: extra.nodeName } : {}),
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: 'main',
          image: BUSYBOX_IMAGE,
          command: ['sh', '-c', script],
          ...(extra.port
            ? { ports: [{ name: 'metrics', containerPort: extra.port }] }
            : {}),
          resources: {
            requests: { cpu: '10m', memory: extra.memory ?? '16Mi' },
            limits: { memory: extra.memory ?? '32Mi' },
          },
          volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }],
        },
      ],
      volumes: [{ name: 'scratch', emptyDir: {} }],
    },
  };
}

// ---- Log lines -------------------------------------------------------------------------------------------------

export const MARK = 'plgkit-e2e';
/** Longer than the 16 KiB the runtime writes per log entry: it arrives as partial entries (`P`) and one final `F`. */
export const LONG_LINE = `${MARK} long ${'x'.repeat(20_000)} end`;
export const UTF8_LINE = `${MARK} utf8 ünïcödé ✓ 日本語 🚀 ½`;
export const BURST = 10_000;

/** Every line the writer prints, with its stream. */
export function expectedLines(): Array<{
  line: string;
  stream: 'stdout' | 'stderr';
}> {
  return [
    { line: `${MARK} stdout`, stream: 'stdout' },
    { line: `${MARK} stderr`, stream: 'stderr' },
    { line: LONG_LINE, stream: 'stdout' },
    { line: UTF8_LINE, stream: 'stdout' },
    ...Array.from({ length: BURST }, (_, i) => ({
      line: `${MARK} burst ${i + 1}`,
      stream: 'stdout' as const,
    })),
    { line: `${MARK} done`, stream: 'stdout' },
  ];
}

/** Prints the expected lines once, then sleeps; the long line is written with no newline until its end. */
export function logWriter(name = 'e2e-log-writer'): Pod {
  const script = [
    `echo '${MARK} stdout'`,
    `echo '${MARK} stderr' >&2`,
    `printf '%s' '${MARK} long '; head -c 20000 /dev/zero | tr '\\0' x; echo ' end'`,
    `echo '${UTF8_LINE}'`,
    `seq 1 ${BURST} | sed 's/^/${MARK} burst /'`,
    `echo '${MARK} done'`,
    'exec sleep 3600',
  ].join('; ');
  return busyboxPod(name, script, { labels: { app: 'e2e-log-writer' } });
}

/** Prints `<prefix> <n>` for n = 1…count, `perSecond` lines a second, then sleeps. */
export function counter(
  name: string,
  prefix: string,
  count: number,
  perSecond: number,
): Pod {
  const batch = Math.max(1, Math.round(perSecond / 10));
  const script = `i=0; while [ $i -lt ${count} ]; do for j in $(seq 1 ${batch}); do i=$((i+1)); echo "${prefix} $i"; done; sleep 0.1; done; exec sleep 3600`;
  return busyboxPod(name, script, { labels: { app: name } });
}

/**
 * Prints `<prefix> run=<tag> <n>` for n = 1…count, then `<prefix> run=<tag> done`, then sleeps. Each start of its
 * container draws a new tag, so the lines of a run before a node restart and of the run after can be told apart.
 */
export function runTagged(
  name: string,
  namespace: string,
  prefix: string,
  count: number,
): Pod {
  const script = `run=$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \\n'); seq 1 ${count} | sed "s/^/${prefix} run=$run /"; echo "${prefix} run=$run done"; exec sleep 3600`;
  return busyboxPod(name, script, { namespace, labels: { app: name } });
}

/** One line, then sleep. */
export function oneLine(
  name: string,
  line: string,
  namespace = APP_NAMESPACE,
): Pod {
  return busyboxPod(name, `echo '${line}'; exec sleep 3600`, {
    namespace,
    labels: { app: name },
  });
}

/** A pod that belongs to no component of the stack, for `kubectl exec` to try connections from. */
export function stranger(name: string, namespace: string): Pod {
  return busyboxPod(name, 'exec sleep 3600', { namespace });
}

// ---- Metrics ---------------------------------------------------------------------------------------------------

export const METRICS_APP = 'e2e-metrics';
/** A pod that is not annotated, behind an annotated Service: the Service's job alone scrapes it. */
export const METRICS_SERVICE_APP = 'e2e-metrics-svc';

const SCRAPE_ANNOTATIONS = {
  'prometheus.io/scrape': 'true',
  'prometheus.io/port': '8080',
  'prometheus.io/path': '/metrics',
};

/** busybox httpd serving a static exposition on 8080, and a Service in front of it. */
function metricsServer(
  name: string,
  podAnnotations: Record<string, string> | undefined,
): [Pod, Service] {
  const exposition = '# TYPE plgkit_e2e_up gauge\\nplgkit_e2e_up 1\\n';
  const pod = busyboxPod(
    name,
    `mkdir -p /scratch/www && printf '${exposition}' > /scratch/www/metrics && exec httpd -f -p 8080 -h /scratch/www`,
    { ...(podAnnotations ? { annotations: podAnnotations } : {}), port: 8080 },
  );
  const service: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: APP_NAMESPACE,
      annotations: SCRAPE_ANNOTATIONS,
    },
    spec: {
      selector: { 'app.kubernetes.io/name': name },
      ports: [{ name: 'metrics', port: 8080, targetPort: 8080 }],
    },
  };
  return [pod, service];
}

/**
 * One app per annotation job: a pod annotated itself, behind an annotated Service too (the pods job's alone), and a
 * pod only its annotated Service asks to scrape.
 */
export function annotatedMetrics(): Array<Pod | Service> {
  return [
    ...metricsServer(METRICS_APP, SCRAPE_ANNOTATIONS),
    ...metricsServer(METRICS_SERVICE_APP, undefined),
  ];
}

// ---- Alert delivery --------------------------------------------------------------------------------------------

export const ALERT_SINK = 'e2e-alert-sink';
/** Where Alertmanager's webhook receiver posts, from inside the cluster. */
export const ALERT_SINK_URL = `http://${ALERT_SINK}.${APP_NAMESPACE}.svc:8080/cgi-bin/hook`;

/**
 * A real HTTP server that keeps what it is sent: busybox httpd running a CGI script that stores each POST's body in
 * a file of its own, and answers any request with every body stored so far, one per line.
 */
export function alertSink(): Array<Pod | Service> {
  const hook = [
    '#!/bin/sh',
    'if [ "$REQUEST_METHOD" = POST ]; then head -c "$CONTENT_LENGTH" > "/scratch/received/$(date +%s)-$$"; fi',
    "printf 'Content-Type: text/plain\\r\\n\\r\\n'",
    'for f in /scratch/received/*; do [ -f "$f" ] && cat "$f" && echo; done',
  ].join('\n');
  const pod = busyboxPod(
    ALERT_SINK,
    `mkdir -p /scratch/www/cgi-bin /scratch/received && printf '%s\n' '${hook.replaceAll("'", "'\\''")}' > /scratch/www/cgi-bin/hook && chmod 755 /scratch/www/cgi-bin/hook && exec httpd -f -p 8080 -h /scratch/www`,
    { port: 8080 },
  );
  const service: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: ALERT_SINK, namespace: APP_NAMESPACE },
    spec: {
      selector: { 'app.kubernetes.io/name': ALERT_SINK },
      ports: [{ name: 'http', port: 8080, targetPort: 8080 }],
    },
  };
  return [pod, service];
}

// ---- Faults ----------------------------------------------------------------------------------------------------

/**
 * A container with a 16 MiB limit that allocates 64 MiB once, as its main process (so the container, not just a
 * child, is killed): OOMKilled in its first seconds, then it sleeps.
 */
export function oomOnce(name = 'e2e-oom'): Pod {
  const script =
    'if [ -f /scratch/killed-once ]; then exec sleep 3600; fi; touch /scratch/killed-once; exec dd if=/dev/zero of=/dev/null bs=64M count=1';
  return busyboxPod(name, script, { memory: '16Mi' });
}

export const GHOST_NODE = 'plgkit-e2e-ghost';

/** A Node object no kubelet runs, and a Pod bound to it: no collector may try to tail it. */
export function ghost(): [Node, Pod] {
  const node: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: GHOST_NODE,
      labels: { 'kubernetes.io/hostname': GHOST_NODE },
    },
  };
  return [
    node,
    busyboxPod('e2e-ghost', `echo '${MARK} ghost'; exec sleep 3600`, {
      nodeName: GHOST_NODE,
    }),
  ];
}
