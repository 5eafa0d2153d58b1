// The docker runtime for real. The node is rebuilt on docker (dockerd and cri-dockerd, as
// `minikube start --container-runtime=docker`), then the default overlay and the docker variant each run the
// checks that differ by runtime: pods, resources, RBAC, the collector's pipeline, logs exactly as written, targets
// and rules, and every dashboard panel. The faults, durability and measurements stay on the containerd node.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CAPTURED_MARK,
  FIXTURES_DIR,
} from '../../support/fixture-prometheus.js';
import { RECORDING } from '../../support/measured.js';
import {
  CAPTURED_DOCKER_CADVISOR,
  captureDockerCadvisor,
} from '../harness/capture.js';
import { down, up } from '../harness/cluster.js';
import { kubectl } from '../harness/kubectl.js';
import { NODE_NAME } from '../harness/topology.js';
import { overlaySuite } from '../suites/overlay.js';

/** The default overlay (its auto pipeline) and the docker variant; overlays/containerd does not fit a docker node. */
const OVERLAYS = ['minikube', 'minikube-docker'] as const;

beforeAll(async () => {
  const t0 = Date.now();
  await down();
  await up({ runtime: 'docker' });
  console.log(
    `docker node up in ${((Date.now() - t0) / 1000).toFixed(0)} s (the containerd node taken down first)`,
  );
});

it("runs every pod's log through the kubelet's symlinks into docker's json-file logs, and cAdvisor leaves the containers unlabelled", () => {
  const cadvisor = kubectl([
    'get',
    '--raw',
    `/api/v1/nodes/${NODE_NAME}/proxy/metrics/cadvisor`,
  ]);
  // A container's own cgroup: /kubepods[/<qos>]/pod<uid>/<container id>.
  const containerSeries = cadvisor
    .split('\n')
    .filter(
      (l) =>
        l.startsWith('container_memory_working_set_bytes{') &&
        /id="\/kubepods(\/[a-z]+)?\/pod[0-9a-f-]+\/[0-9a-f]{64}"/.test(l),
    );
  expect(containerSeries.length, 'per-container series').toBeGreaterThan(0);
  expect(
    containerSeries.filter(
      (l) => !l.includes('container=""') || !l.includes('pod=""'),
    ),
  ).toEqual([]);
  if (RECORDING) captureDockerCadvisor(cadvisor);
  // The fixture the unit tests read is this node's payload, not a model of it.
  expect(
    readFileSync(join(FIXTURES_DIR, CAPTURED_DOCKER_CADVISOR), 'utf8').split(
      '\n',
    )[0],
  ).toMatch(
    new RegExp(
      // The node's name when it was captured (the e2e node was plgkit-e2e before it took minikube's name).
      `^${CAPTURED_MARK} on \\S+: kubelet /metrics/cadvisor on node \\S+ \\(docker through cri-dockerd\\)`,
    ),
  );
});

describe.each(OVERLAYS)('overlays/%s on a docker node', (overlay) =>
  overlaySuite(overlay, 'docker', false),
);
