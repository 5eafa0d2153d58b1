// The live cluster as `plgkit check` reads it: kubectl with the user's kubeconfig for objects, and one `kubectl proxy`
// for Prometheus, Loki and the kubelets, through the API server (no port-forward).
import { type KubectlTarget, kubectl, kubectlJson } from '../kubectl.js';
import { type ServiceProxy, startServiceProxy } from '../query/transport.js';

export interface CheckTarget extends KubectlTarget {
  /** Where the stack runs. */
  readonly namespace: string;
}

export interface Cluster {
  readonly target: CheckTarget;
  /** `kubectl <args> -o json`. */
  json<T>(args: readonly string[]): Promise<T>;
  /** `kubectl <args>` with `stdin`, as text. */
  run(args: readonly string[], stdin?: string): Promise<string>;
  /** A GET through the API server (`/api/v1/...`): status, Date header and body. */
  get(path: string): Promise<{ status: number; date?: string; body: string }>;
  /** JSON from a Service URL of the stack (`http://prometheus.monitoring.svc:9090/...`). */
  service(url: string): Promise<unknown>;
  close(): void;
}

export async function connect(target: CheckTarget): Promise<Cluster> {
  const proxy: ServiceProxy = await startServiceProxy(target.namespace, target);
  return {
    target,
    json: <T>(args: readonly string[]) => kubectlJson<T>(target, args),
    run: (args, stdin) => kubectl(target, args, stdin),
    get: async (path) => {
      const response = await fetch(`${proxy.url}${path}`, {
        signal: AbortSignal.timeout(10_000),
      });
      return {
        status: response.status,
        date: response.headers.get('date') ?? undefined,
        body: await response.text(),
      };
    },
    service: (url) => proxy.fetchJson(url),
    close: () => proxy.close(),
  };
}
