// The harness can fail: a config key Loki does not know makes the wait fail, naming the pod and its log line.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { kubectl } from '../harness/kubectl.js';
import { waitForPodsReady } from '../harness/pods.js';
import { REPO, waitGone } from '../harness/stack.js';

const NS = 'e2e-broken';
const dir = join(REPO, '.tmp-e2e-broken');

afterAll(async () => {
  kubectl([
    'delete',
    'namespace',
    NS,
    '--ignore-not-found',
    '--wait=true',
    '--timeout=180s',
  ]);
  await waitGone(['namespace', NS]);
  rmSync(dir, { recursive: true, force: true });
});

it('fails when Loki is given a config key that does not exist, naming the pod and its log line', async () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const config = parse(
    readFileSync(
      join(REPO, 'packages/loki/base/loki-config/loki.yaml'),
      'utf8',
    ),
  ) as Record<string, unknown>;
  writeFileSync(
    join(dir, 'loki.yaml'),
    stringify({ ...config, no_such_key: true }),
  );
  writeFileSync(
    join(dir, 'kustomization.yaml'),
    stringify({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: NS,
      resources: ['../packages/loki/base'],
      configMapGenerator: [
        { name: 'loki-config', behavior: 'merge', files: ['loki.yaml'] },
      ],
    }),
  );
  kubectl(['create', 'namespace', NS]);
  kubectl(['apply', '--server-side', '-k', dir]);
  const failure = await waitForPodsReady(NS, { seconds: 180 }).then(
    () => undefined,
    (e: Error) => e.message,
  );
  expect(failure).toBeDefined();
  console.log(failure);
  expect(failure).toMatch(/pod e2e-broken\/loki-0/);
  expect(failure).toMatch(/log loki[^\n]*no_such_key/);
});
