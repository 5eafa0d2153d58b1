// How the runner reaches a datasource URL: directly (inside the cluster, or with a resolver for its DNS names), or
// through the API server's service proxy with the user's kubeconfig, so no port-forward is needed.
import { spawn } from 'node:child_process';
import { type KubectlTarget, kubectlFlags } from '../kubectl.js';

/** GETs a URL and returns its JSON body; rejects with the status and body on a non-2xx answer. */
export type FetchJson = (url: string) => Promise<unknown>;

/** GETs `request`; errors name `shown`, the URL the user knows. */
async function getJson(request: URL | string, shown: string): Promise<unknown> {
  const response = await fetch(request, {
    signal: AbortSignal.timeout(30_000),
  });
  const body = await response.text();
  if (!response.ok)
    throw new Error(
      `GET ${shown}: ${response.status} ${body.trim().slice(0, 300)}`,
    );
  return JSON.parse(body) as unknown;
}

/** A direct HTTP GET; `resolve` maps a host name to an address (e.g. through the cluster's DNS). */
export function directFetch(
  resolve?: (host: string) => Promise<string>,
): FetchJson {
  return async (url) => {
    const target = new URL(url);
    if (resolve) target.hostname = await resolve(target.hostname);
    return getJson(target, url);
  };
}

/** A Service URL (`http://prometheus.monitoring.svc:9090/…`) as the API server's proxy path for that Service. */
export function serviceProxyPath(
  url: string,
  defaultNamespace: string,
): string {
  const u = new URL(url);
  const [service, namespace = defaultNamespace, svc] = u.hostname.split('.');
  if (!service || (svc !== undefined && svc !== 'svc')) {
    throw new Error(
      `${url} is not a Service URL (<service>.<namespace>.svc): reach it directly with --direct`,
    );
  }
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  const scheme = u.protocol.replace(':', '');
  return `/api/v1/namespaces/${namespace}/services/${scheme}:${service}:${port}/proxy${u.pathname}${u.search}`;
}

/** A running `kubectl proxy`, and a FetchJson that goes through it to each Service's proxy path. */
export interface ServiceProxy {
  readonly fetchJson: FetchJson;
  /** The proxy's own address (`http://127.0.0.1:<port>`), for API paths other than a Service's. */
  readonly url: string;
  close(): void;
}

/**
 * Starts `kubectl proxy` on a free local port with the user's kubeconfig and context: every authentication kubectl
 * supports works, and error bodies come back whole.
 */
export function startServiceProxy(
  defaultNamespace: string,
  target: KubectlTarget = {},
): Promise<ServiceProxy> {
  const kubectl = target.kubectl ?? 'kubectl';
  return new Promise((resolve, reject) => {
    const child = spawn(
      kubectl,
      [...kubectlFlags(target), 'proxy', '--port=0', '--address=127.0.0.1'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(
        new Error(`kubectl proxy did not start in 30 s: ${output.trim()}`),
      );
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const port = /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(output)?.[1];
      if (!port) return;
      clearTimeout(timer);
      resolve({
        url: `http://127.0.0.1:${port}`,
        fetchJson: (url) =>
          getJson(
            `http://127.0.0.1:${port}${serviceProxyPath(url, defaultNamespace)}`,
            `${url} (through the API server)`,
          ),
        close: () => child.kill(),
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${kubectl}: ${e.message}`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kubectl proxy exited (${code}): ${output.trim()}`));
    });
  });
}
