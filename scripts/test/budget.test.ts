import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { overlayNames, REPO } from '../../support/render.js';
import { memoryBudget } from '../lib/budget.js';
import { rendered } from './helpers.js';

/** The README's memory table: | `overlay` | requests | limits | */
function statedBudgets(): Map<
  string,
  { requestsMi: number; limitsMi: number }
> {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const rows = [
    ...readme.matchAll(/^\| `([\w-]+)` \| (\d+) MiB \| (\d+) MiB \|/gm),
  ];
  return new Map(
    rows.map((m) => [
      m[1]!,
      { requestsMi: Number(m[2]), limitsMi: Number(m[3]) },
    ]),
  );
}

/** A default minikube has about 4 GB, of which Kubernetes itself takes about 1 GB; keep well inside the rest. */
const MINIKUBE_LIMITS_CEILING_MI = 2048;

describe('memory budget', () => {
  it.each(overlayNames())(
    'README states the memory of overlays/%s as rendered',
    (overlay) => {
      expect(statedBudgets().get(overlay)).toEqual(
        memoryBudget(rendered(overlay)),
      );
    },
  );

  it(`keeps the minikube stack's limits under ${MINIKUBE_LIMITS_CEILING_MI} MiB`, () => {
    expect(memoryBudget(rendered('minikube')).limitsMi).toBeLessThanOrEqual(
      MINIKUBE_LIMITS_CEILING_MI,
    );
  });

  it('counts every replica and each DaemonSet pod once', () => {
    const objects = rendered('minikube');
    const before = memoryBudget(objects);
    const deployment = objects.find((o) => o.kind === 'Deployment') as any;
    deployment.spec.replicas = 2;
    // One more pod of it: its one container's request once more (Grafana's 256Mi).
    const [container] = deployment.spec.template.spec.containers;
    expect(container.resources.requests.memory).toBe('256Mi');
    expect(memoryBudget(objects).requestsMi).toBe(before.requestsMi + 256);
  });
});
