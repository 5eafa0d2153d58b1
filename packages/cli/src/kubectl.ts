// The one way plgkit's commands reach kubectl: render (kustomize), doctor, dashboards and check all go through here,
// with the cluster picked by the user's own kubeconfig and context, as kubectl's flags.
import { execFile, execFileSync } from 'node:child_process';

/** Which cluster kubectl talks to. Both fields default to kubectl's own (KUBECONFIG, the current context). */
export interface KubectlTarget {
  /** `--kubeconfig`: the kubeconfig file. */
  readonly kubeconfig?: string;
  /** `--context`: the context in it. */
  readonly context?: string;
  /** The kubectl binary. @default "kubectl" */
  readonly kubectl?: string;
}

const MAX_OUTPUT = 64 * 1024 * 1024;

/** kubectl's own flags for the target. */
export function kubectlFlags(t: KubectlTarget = {}): string[] {
  return [
    ...(t.kubeconfig ? [`--kubeconfig=${t.kubeconfig}`] : []),
    ...(t.context ? [`--context=${t.context}`] : []),
  ];
}

/** How the target reads in a message: ` --context=minikube`, or nothing for kubectl's defaults. */
export function describeTarget(t: KubectlTarget = {}): string {
  return kubectlFlags(t)
    .map((f) => ` ${f}`)
    .join('');
}

/** `kubectl <flags> <args>`, with `stdin`; its output, or an error with kubectl's own message. */
export function kubectl(
  t: KubectlTarget,
  args: readonly string[],
  stdin?: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      t.kubectl ?? 'kubectl',
      [...kubectlFlags(t), ...args],
      { maxBuffer: MAX_OUTPUT },
      (error, stdout, stderr) => {
        if (error)
          reject(
            new Error(
              `kubectl ${args.join(' ')}: ${(stderr || error.message).trim()}`,
            ),
          );
        else resolve(stdout);
      },
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

/** `kubectl <flags> <args> -o json`, parsed. */
export async function kubectlJson<T>(
  t: KubectlTarget,
  args: readonly string[],
): Promise<T> {
  return JSON.parse(await kubectl(t, [...args, '-o', 'json'])) as T;
}

/** The same, waiting: for commands that have nothing else to do meanwhile. Errors are execFileSync's own. */
export function kubectlSync(
  t: KubectlTarget,
  args: readonly string[],
  quiet = false,
): string {
  return execFileSync(t.kubectl ?? 'kubectl', [...kubectlFlags(t), ...args], {
    encoding: 'utf8',
    maxBuffer: MAX_OUTPUT,
    stdio: ['ignore', 'pipe', quiet ? 'ignore' : 'pipe'],
  });
}
