import { execFileSync } from 'node:child_process';

/** One tool plgkit needs, and whether this machine has it. */
export interface ToolCheck {
  readonly tool: string;
  readonly ok: boolean;
  /** The version found, or what is wrong. */
  readonly detail: string;
  /** What to do when it is not ok. */
  readonly hint?: string;
}

const major = (version: string) => Number(/^v?(\d+)/.exec(version)?.[1] ?? NaN);

export function checkNode(version = process.version): ToolCheck {
  return major(version) >= 20
    ? { tool: 'node', ok: true, detail: version }
    : { tool: 'node', ok: false, detail: `${version}, need 20 or newer`, hint: 'install Node.js 20 or newer (https://nodejs.org)' };
}

/** `kubectl version --client -o json` as kubectl prints it. */
export interface KubectlVersion {
  clientVersion?: { gitVersion?: string };
  kustomizeVersion?: string;
}

/** kubectl and its built-in kustomize (v5 for `labels`, `patches` and `components` as plgkit writes them). */
export function checkKubectl(read: () => KubectlVersion | undefined = readKubectlVersion): ToolCheck[] {
  const version = read();
  if (!version) {
    return [
      { tool: 'kubectl', ok: false, detail: 'not found on PATH', hint: 'install kubectl 1.27 or newer (https://kubernetes.io/docs/tasks/tools/)' },
      { tool: 'kustomize (in kubectl)', ok: false, detail: 'no kubectl', hint: 'comes with kubectl 1.27 or newer' },
    ];
  }
  const kustomize = version.kustomizeVersion ?? 'unknown';
  return [
    { tool: 'kubectl', ok: true, detail: version.clientVersion?.gitVersion ?? 'unknown version' },
    major(kustomize) >= 5
      ? { tool: 'kustomize (in kubectl)', ok: true, detail: kustomize }
      : { tool: 'kustomize (in kubectl)', ok: false, detail: `${kustomize}, need v5`, hint: 'upgrade kubectl to 1.27 or newer, which has kustomize v5' },
  ];
}

function readKubectlVersion(): KubectlVersion | undefined {
  try {
    return JSON.parse(execFileSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as KubectlVersion;
  } catch {
    return undefined;
  }
}

export function doctor(): ToolCheck[] {
  return [checkNode(), ...checkKubectl()];
}
