// `pnpm e2e:suites`: the suites on a cluster the harness did not make. Nothing is brought up or torn down; the run
// only refuses a cluster it cannot reach, or one whose namespaces it would overwrite and delete.
import { HarnessError, run, succeeds } from '../support/exec.js';
import { defaultKubeconfig } from '../support/paths.js';
import { NAMESPACE } from './harness/stack.js';
import { APP_NAMESPACE } from './harness/workloads.js';

export default function setup(): void {
  const kubeconfig = defaultKubeconfig();
  const kubectl = (args: string[]) =>
    run('kubectl', [`--kubeconfig=${kubeconfig}`, ...args], {
      hint: `kubectl (with kustomize v5) on the PATH, and a cluster the kubeconfig ${kubeconfig} reaches (KUBECONFIG names another)`,
    });
  const context = kubectl(['config', 'current-context']).trim();
  kubectl(['version']);
  // Each overlay is applied into these namespaces and deleted with them.
  const taken = [NAMESPACE, APP_NAMESPACE].filter((ns) =>
    succeeds('kubectl', [`--kubeconfig=${kubeconfig}`, 'get', 'namespace', ns]),
  );
  if (taken.length > 0)
    throw new HarnessError(
      `context ${context} already has namespace ${taken.join(' and ')}, which the suites apply into and delete: uninstall what runs there first (kubectl delete namespace ${taken.join(' ')})`,
    );
  console.log(
    `e2e suites on context ${context} (${kubeconfig}): no cluster is made or removed`,
  );
}
