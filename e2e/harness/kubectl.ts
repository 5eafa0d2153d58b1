// kubectl at the cluster's own version (built with it), against the e2e cluster's admin kubeconfig; or the user's
// kubectl against the cluster an outside run of the suites names (./target.ts).

import { join } from 'node:path';
import { main } from '@plgkit/cli';
import { stringify } from 'yaml';
import { run, runFull } from '../../support/exec.js';
import { binaryDir } from '../../support/go-build.js';
import { BIN_OVERRIDE } from '../../support/paths.js';
import { kubernetes } from '../../support/recipes.js';
import { TARGET } from './target.js';

/**
 * The kubectl built with the cluster (its version matches the API server's), unless told otherwise; outside, the
 * user's own.
 */
let binary = !TARGET.nodeAccess
  ? 'kubectl'
  : BIN_OVERRIDE
    ? join(BIN_OVERRIDE, 'kubectl')
    : join(binaryDir(kubernetes), 'kubectl');
const { kubeconfig } = TARGET;

export function useKubectl(path: string): void {
  binary = path;
}

export function kubectlPath(): string {
  return binary;
}

export function kubectl(args: string[], input?: string, hint?: string): string {
  return run(binary, [`--kubeconfig=${kubeconfig}`, ...args], { input, hint });
}

export function kubectlJson<T>(args: string[]): T {
  return JSON.parse(kubectl([...args, '-o', 'json'])) as T;
}

/** Server-side apply of typed objects, serialized once. */
export function applyObjects(
  objects: readonly object[],
  fieldManager = 'plgkit-e2e',
): string {
  const yaml = objects.map((o) => stringify(o)).join('---\n');
  return kubectl(
    ['apply', '--server-side', `--field-manager=${fieldManager}`, '-f', '-'],
    yaml,
  );
}

/** kubectl with both output streams, for commands whose warnings matter (apply). */
export function kubectlFull(
  args: string[],
  input?: string,
): { stdout: string; stderr: string } {
  return runFull(binary, [`--kubeconfig=${kubeconfig}`, ...args], { input });
}

/** The `plgkit` command, in-process, against the suites' cluster (its kubeconfig for the call): exit code and output. */
export async function plgkit(
  args: string[],
): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const saved = process.env.KUBECONFIG;
  process.env.KUBECONFIG = kubeconfig;
  try {
    const code = await main(args, {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
    });
    return { code, out };
  } finally {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
  }
}
