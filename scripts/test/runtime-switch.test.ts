import {
  cpSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { validateStrict } from '@plgkit/cli';
import { afterAll, describe, expect, it } from 'vitest';
import { OVERLAYS_DIR, REPO, render } from '../../support/render.js';
import { collectorMatchesRuntime, type Runtime } from '../lib/checks.js';

// Two levels below the repo, like overlays/<name>, so the overlay's ../../packages paths still resolve.
const scratch = join(REPO, `.tmp-switch-${process.pid}`);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of an overlay whose kustomization differs in exactly one line: the runtime Component. */
function switched(
  overlay: string,
  from: Runtime,
  to: Runtime,
): { dir: string; changedLines: number } {
  const dir = join(scratch, `${overlay}-${to}`);
  mkdirSync(scratch, { recursive: true });
  cpSync(join(OVERLAYS_DIR, overlay), dir, { recursive: true });
  const file = join(dir, 'kustomization.yaml');
  const before = readFileSync(file, 'utf8').split('\n');
  const after = before.map((l) =>
    l.replace(
      `packages/promtail/components/${from}`,
      `packages/promtail/components/${to}`,
    ),
  );
  writeFileSync(file, after.join('\n'));
  return { dir, changedLines: after.filter((l, i) => l !== before[i]).length };
}

describe('switching runtime is one line of components:', () => {
  it.each([
    ['minikube-docker', 'docker', 'containerd'],
    ['containerd', 'containerd', 'docker'],
  ] as const)('overlays/%s from %s to %s', (overlay, from, to) => {
    const { dir, changedLines } = switched(overlay, from, to);
    expect(changedLines).toBe(1);
    const objects = render(dir);
    expect(collectorMatchesRuntime(to).run(objects)).toEqual([]);
    expect(collectorMatchesRuntime(from).run(objects)).not.toEqual([]);
    expect(validateStrict(objects)).toEqual([]);
  });
});
