import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  checkKubectl,
  checkNode,
  checkNodeRuntime,
  overlayPipeline,
} from '../src/doctor.js';
import { EXIT, main } from '../src/main.js';
import { render } from '../src/render.js';

const REPO = resolve(import.meta.dirname, '../../..');
const work = mkdtempSync(join(tmpdir(), 'plgkit-cli-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  if (code instanceof Promise)
    throw new Error(`${argv.join(' ')} is asynchronous: use runAsync`);
  return { code, out: out.join('\n'), err: err.join('\n'), errLines: err };
}

async function runAsync(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out: out.join('\n'), err: err.join('\n'), errLines: err };
}

describe('plgkit --help', () => {
  it.each([
    ['--help'],
    ['new-overlay', '--help'],
    ['render', '-h'],
    ['doctor', '--help'],
    ['dashboards', '--help'],
  ])('%j prints usage and exits 0', async (...argv) => {
    const r = await runAsync(...argv);
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(/^Usage: plgkit/);
  });

  it('documents the exit codes', () => {
    expect(run('--help').out).toContain(
      "Exit codes: 0 done, 1 the overlay does not render or validate, a panel has no data, a node's runtime does not fit or a check fails, 2 bad command line or options, 3 a tool is missing.",
    );
  });
});

describe('plgkit errors: one line and a hint', () => {
  it.each([
    [['deploy'], /^plgkit: unknown command "deploy"$/, /plgkit --help/],
    [
      ['new-overlay', '--runtime', 'docker'],
      /^plgkit new-overlay: missing the overlay directory$/,
      /new-overlay <dir>/,
    ],
    [
      [
        'new-overlay',
        join(work, 'x'),
        '--runtime',
        'docker',
        '--replicas',
        '2',
      ],
      /^plgkit new-overlay: Unknown option '--replicas'/,
      /new-overlay --help/,
    ],
    [
      ['render'],
      /^plgkit render: missing the overlay directory$/,
      /plgkit render <overlay>/,
    ],
    [
      ['doctor', 'now'],
      /^plgkit doctor: unexpected arguments: now$/,
      /plgkit doctor \[--kubeconfig <file>\] \[--context/,
    ],
    [
      ['dashboards', 'now'],
      /^plgkit dashboards: unexpected arguments: now$/,
      /plgkit dashboards \[--kubeconfig <file>\] \[--context/,
    ],
  ])('%j', async (argv, message, hint) => {
    const r = await runAsync(...argv);
    expect(r.code).toBe(EXIT.usage);
    expect(r.errLines).toHaveLength(2);
    expect(r.errLines[0]).toMatch(message);
    expect(r.errLines[1]).toMatch(/^hint: /);
    expect(r.errLines[1]).toMatch(hint);
  });

  it('names each bad option by its flag, with the value and a valid one', () => {
    const r = run(
      'new-overlay',
      join(work, 'bad'),
      '--runtime',
      'cri-o',
      '--namespace',
      'Monitoring',
      '--profile',
      'large',
      '--retention',
      '2 weeks',
    );
    expect(r.code).toBe(EXIT.usage);
    expect(
      r.errLines
        .filter((l) => l.startsWith('plgkit new-overlay: '))
        .map((l) => l.split(':')[1]!.trim())
        .sort(),
    ).toEqual(['--namespace', '--profile', '--retention', '--runtime']);
    expect(r.err).toMatch(/--namespace: got "Monitoring".*monitoring/);
    expect(r.err).toMatch(/--runtime: got "cri-o".*docker.*containerd/);
    expect(r.errLines.at(-1)).toMatch(/^hint: /);
  });

  it('refuses to overwrite a directory unless --force, and leaves it as it was', () => {
    const dir = join(work, 'existing');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'mine.yaml'), 'keep: me\n');
    const refused = run('new-overlay', dir, '--runtime', 'containerd');
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.err).toContain(`${dir} exists and is not empty`);
    expect(refused.err).toContain('--force');
    expect(readFileSync(join(dir, 'mine.yaml'), 'utf8')).toBe('keep: me\n');
  });

  it('with --force, replaces only what new-overlay wrote, and names the files it would delete otherwise', () => {
    const dir = join(work, 'rerun');
    expect(run('new-overlay', dir, '--namespace', 'obs').code).toBe(EXIT.ok);
    // Run again with other options: its own earlier files (namespace-obs.yaml, changes/) go without a word.
    expect(run('new-overlay', dir, '--namespace', 'logs', '--force').code).toBe(
      EXIT.ok,
    );
    expect(existsSync(join(dir, 'namespace-obs.yaml'))).toBe(false);
    expect(existsSync(join(dir, 'namespace-logs.yaml'))).toBe(true);
    // A file of the user's is never deleted: --force refuses and names it.
    mkdirSync(join(dir, 'mine'));
    writeFileSync(join(dir, 'mine/alerts.yaml'), 'keep: me\n');
    const refused = run('new-overlay', dir, '--namespace', 'obs', '--force');
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.errLines).toEqual([
      `plgkit new-overlay: ${dir} holds files new-overlay did not write, which --force would delete: mine/alerts.yaml`,
      'hint: move them out (or into a Component of your own, listed beside the overlay), then run again',
    ]);
    expect(readFileSync(join(dir, 'mine/alerts.yaml'), 'utf8')).toBe(
      'keep: me\n',
    );
    expect(existsSync(join(dir, 'namespace-logs.yaml'))).toBe(true);
  });
});

describe('plgkit: wrong inputs get one clear line, exit 2, and nothing written', () => {
  it('plgkit with no command prints the help on stderr and exits 2', () => {
    const r = run();
    expect(r.code).toBe(EXIT.usage);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^Usage: plgkit <command>/);
  });

  const file = join(work, 'a-file');
  writeFileSync(file, 'not a directory\n');
  const refusals: Array<[string[], string[]]> = [
    [
      ['--retention', '0d'],
      [
        'plgkit new-overlay: --retention: got 0d, expected at least 24h: it is Loki\'s retention too, which keeps whole days, and 0 would keep data forever, e.g. "7d"',
        'hint: plgkit new-overlay --help lists every option and its values',
      ],
    ],
    [
      ['--retention', '12h'],
      [
        'plgkit new-overlay: --retention: got 12h, expected at least 24h: it is Loki\'s retention too, which keeps whole days, and 0 would keep data forever, e.g. "7d"',
        'hint: plgkit new-overlay --help lists every option and its values',
      ],
    ],
    ...['kube-system', 'kube-public', 'kube-node-lease', 'default'].map(
      (ns): [string[], string[]] => [
        ['--namespace', ns],
        [
          `plgkit new-overlay: --namespace: got "${ns}", a namespace of the cluster itself (default, kube-node-lease, kube-public, kube-system): the overlay would relabel it privileged, e.g. "monitoring"`,
          'hint: plgkit new-overlay --help lists every option and its values',
        ],
      ],
    ),
    [
      ['--runtime', 'cri-o'],
      [
        'plgkit new-overlay: --runtime: got "cri-o", expected one of "docker", "containerd", "auto"',
        'hint: CRI-O writes the same CRI log files as containerd: use --runtime containerd (or auto)',
        'hint: plgkit new-overlay --help lists every option and its values',
      ],
    ],
    [
      ['--memory', 'loki=128Mi'],
      [
        'plgkit new-overlay: --memory loki: got 128Mi, expected at least 191Mi: twice the WAL replay ceiling (100MB), so a restart after a crash fits, e.g. 384Mi',
        'hint: plgkit new-overlay --help lists every option and its values',
      ],
    ],
    [
      ['--memory', 'lokii=1Gi'],
      [
        'plgkit new-overlay: --memory: unknown option "lokii"; valid options here: prometheus, grafana, alertmanager, loki, promtail, alloy, node-exporter, kube-state-metrics',
        'hint: plgkit new-overlay --help lists every option and its values',
      ],
    ],
    [
      ['--cpu', 'grafana=2 cores'],
      [
        'plgkit new-overlay: --cpu grafana=2 cores: expected <component>=<quantity>, e.g. --cpu prometheus=1',
        'hint: components: prometheus, grafana, alertmanager, loki, promtail, alloy, node-exporter, kube-state-metrics',
      ],
    ],
  ];
  it.each(refusals)('new-overlay <dir> %j', (flags, lines) => {
    const dir = join(work, `refused-${flags.join('')}`);
    const r = run('new-overlay', dir, ...flags);
    expect(r.code).toBe(EXIT.usage);
    expect(r.errLines).toEqual(lines);
    expect(existsSync(dir)).toBe(false);
  });

  it.each([
    [file, `${file} is a file, not a directory`],
    [
      join(file, 'sub'),
      `${file} is a file, so ${join(file, 'sub')} cannot be a directory`,
    ],
    // /proc takes no new directories (ENOENT), whoever asks: root's permission bits would not show it.
    ['/proc/plgkit-overlay', 'cannot write in /proc (ENOENT)'],
  ])('new-overlay %s', (dir, message) => {
    const r = run('new-overlay', dir);
    expect(r.code).toBe(EXIT.usage);
    expect(r.errLines).toEqual([
      `plgkit new-overlay: ${message}`,
      'hint: choose a path for a new directory, or an existing directory you may write in',
    ]);
    expect(readFileSync(file, 'utf8')).toBe('not a directory\n');
  });
});

describe('plgkit new-overlay --memory and --cpu', () => {
  it("sets a component's limits; a request above its new limit comes down to it; the header says how", () => {
    const dir = join(work, 'sizes');
    const r = run(
      'new-overlay',
      dir,
      '--memory',
      'loki=512Mi',
      '--memory',
      'node-exporter=16Mi',
      '--cpu',
      'prometheus=2',
    );
    expect(r.code).toBe(EXIT.ok);
    const patch = (name: string) =>
      parse(readFileSync(join(dir, 'changes', name), 'utf8')).spec.template.spec
        .containers[0].resources;
    expect(patch('statefulset-loki.patch.yaml')).toEqual({
      limits: { memory: '512Mi' },
    });
    expect(patch('statefulset-prometheus.patch.yaml')).toEqual({
      limits: { cpu: '2' },
    });
    expect(patch('daemonset-node-exporter.patch.yaml')).toEqual({
      limits: { memory: '16Mi' },
      requests: { memory: '16Mi' },
    });
    expect(
      readFileSync(join(dir, 'kustomization.yaml'), 'utf8').split('\n')[0],
    ).toContain(
      '--profile small --memory loki=512Mi --memory node-exporter=16Mi --cpu prometheus=2`',
    );
    expect(run('render', dir).code).toBe(EXIT.ok);
  });
});

describe("plgkit new-overlay: Grafana's login and Service", () => {
  it('without --dev-password, says to make the Namespace before the Secret that lives in it, then apply', () => {
    const dir = join(work, 'own-password');
    const r = run('new-overlay', dir, '--namespace', 'obs');
    expect(r.code).toBe(EXIT.ok);
    expect(r.out.split('\n')[1]).toBe(
      `next: kubectl apply -f ${join(dir, 'namespace-obs.yaml')}, then kubectl -n obs create secret generic grafana-admin --from-literal=admin-user=admin --from-literal=admin-password=<password>, then kubectl apply -k ${dir}`,
    );
    expect(existsSync(join(dir, 'namespace-obs.yaml'))).toBe(true);
    expect(existsSync(join(dir, 'secret-grafana-admin.yaml'))).toBe(false);
  });

  it('--dev-password --grafana-service nodeport: the login of components/dev-password and a NodePort, as the minikube overlays have', () => {
    const dir = join(work, 'dev');
    const r = run(
      'new-overlay',
      dir,
      '--dev-password',
      '--grafana-service',
      'nodeport',
    );
    expect(r.code).toBe(EXIT.ok);
    expect(r.out.split('\n')[1]).toBe(
      `next: kubectl apply -k ${dir}, then log in to Grafana as admin / plgkit-dev`,
    );
    const objects = render(dir);
    const secret = objects.find((o) => o.kind === 'Secret') as never as {
      metadata: { name: string };
      stringData: Record<string, string>;
    };
    // The repository's Component holds the same login, as literals of its secretGenerator.
    const component = parse(
      readFileSync(
        join(REPO, 'components/dev-password/kustomization.yaml'),
        'utf8',
      ),
    ).secretGenerator[0];
    expect(secret.metadata.name).toBe(component.name);
    expect(
      Object.entries(secret.stringData).map(([k, v]) => `${k}=${v}`),
    ).toEqual(expect.arrayContaining(component.literals));
    const service = objects.find(
      (o) => o.kind === 'Service' && o.metadata.name === 'grafana',
    ) as never as { spec: { type: string } };
    expect(service.spec.type).toBe('NodePort');
    expect(run('render', dir).code).toBe(EXIT.ok);
  });
});

describe('plgkit new-overlay without --runtime', () => {
  it("picks auto, which reads each container's runtime (minikube defaults to containerd since v1.39)", () => {
    const dir = join(work, 'default-runtime');
    expect(run('new-overlay', dir).code).toBe(EXIT.ok);
    const kustomization = readFileSync(join(dir, 'kustomization.yaml'), 'utf8');
    expect(kustomization).toContain('packages/promtail/components/auto');
    expect(kustomization).toContain('--runtime auto');
  });
});

/**
 * An overlay in `work/<name>`: a valid Deployment `monitoring/typo` (container `app`) and the user's patch
 * `memory.yaml`, with `head` written first in its kustomization.
 */
function overlayWithPatch(name: string, patch: string, head = ''): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'deployment.yaml'),
    readFileSync(
      join(REPO, 'packages/cli/test/fixtures/volume-mount-typo.yaml'),
      'utf8',
    ).replace('volumeMount:', 'volumeMounts:'),
  );
  writeFileSync(join(dir, 'memory.yaml'), patch);
  writeFileSync(
    join(dir, 'kustomization.yaml'),
    `${head}resources:\n  - deployment.yaml\npatches:\n  - path: memory.yaml\n`,
  );
  return dir;
}

describe('plgkit render', () => {
  it.each(['docker', 'containerd'])(
    'renders and validates a new %s overlay',
    (runtime) => {
      const dir = join(work, `new-${runtime}`);
      expect(
        run(
          'new-overlay',
          dir,
          '--runtime',
          runtime,
          '--namespace',
          'obs',
          '--profile',
          'medium',
          '--retention',
          '15d',
        ).code,
      ).toBe(EXIT.ok);
      const r = run('render', dir);
      expect(r.err).toBe('');
      expect(r.out).toMatch(new RegExp(`^${dir}: \\d+ objects, all valid$`));
      expect(r.code).toBe(EXIT.ok);
    },
  );

  it('reports an invalid object with the file it came from and its name', () => {
    const dir = join(work, 'typo');
    cpSync(
      join(REPO, 'packages/cli/test/fixtures/volume-mount-typo.yaml'),
      join(dir, 'deployment.yaml'),
      { recursive: true },
    );
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      'resources:\n  - deployment.yaml\n',
    );
    const r = run('render', dir);
    expect(r.code).toBe(EXIT.invalid);
    expect(r.errLines[0]).toMatch(
      /^deployment\.yaml: Deployment \S+: .*volumeMount/,
    );
    expect(r.errLines.at(-1)).toMatch(
      /^hint: 1 problem; fix the named field in the named file/,
    );
  });

  it('refuses a patch that names a container the base lacks (a typo adds a container with no image)', () => {
    const dir = join(work, 'container-typo');
    mkdirSync(dir, { recursive: true });
    const deployment = (container: string, image?: string) =>
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: prometheus
spec:
  selector:
    matchLabels: { app: prometheus }
  template:
    metadata:
      labels: { app: prometheus }
    spec:
      containers:
        - name: ${container}
${image ? `          image: ${image}\n` : ''}          resources:
            limits: { memory: 1Gi }
`;
    writeFileSync(
      join(dir, 'deployment.yaml'),
      deployment('prometheus', 'quay.io/prometheus/prometheus:v3.13.0'),
    );
    writeFileSync(join(dir, 'memory.yaml'), deployment('promethues'));
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      'resources:\n  - deployment.yaml\npatches:\n  - path: memory.yaml\n',
    );
    const r = run('render', dir);
    expect(r.code).toBe(EXIT.invalid);
    // Named against the patch that wrote it, not the base it landed in.
    expect(r.errLines).toEqual([
      'memory.yaml: Deployment prometheus: container "promethues" has no image, which the API server requires: a patch that names a container the base does not have adds one; did you mean "prometheus"?',
      `hint: 1 problem; fix the named field in the named file, then run plgkit render ${dir} again`,
    ]);
    // Spelt right, the same patch merges into the base's container.
    writeFileSync(join(dir, 'memory.yaml'), deployment('prometheus'));
    expect(run('render', dir).code).toBe(EXIT.ok);
  });

  it("names the user's patch and its field for an unknown field it wrote, with the field meant", () => {
    const dir = overlayWithPatch(
      'patch-field-typo',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: typo\n  namespace: monitoring\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          resourcez:\n            limits: { memory: 1Gi }\n',
    );
    expect(run('render', dir).errLines[0]).toBe(
      'memory.yaml: Deployment monitoring/typo: unknown field "resourcez" in Container at spec.template.spec.containers[0], which the API server would drop; did you mean "resources"?',
    );
  });

  it('names a patch without a namespace, which kustomize matches to nothing, and the line to add', () => {
    const dir = overlayWithPatch(
      'patch-no-namespace',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: typo\nspec:\n  replicas: 2\n',
      'namespace: monitoring\n',
    );
    const r = run('render', dir);
    expect(r.code).toBe(EXIT.invalid);
    expect(r.errLines).toEqual([
      'plgkit render: memory.yaml: patches Deployment typo without a namespace, and kustomize matches a patch to an object by namespace too: no object outside a namespace has that name',
      `hint: add "namespace: monitoring" under the patch's metadata, then run plgkit render ${dir} again`,
    ]);
  });

  it("names a YAML syntax error's file, line and column, with kustomize's whole error after", () => {
    const dir = overlayWithPatch(
      'patch-yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: typo\n namespace: monitoring\n',
    );
    const r = run('render', dir);
    expect(r.code).toBe(EXIT.invalid);
    const lines = r.err.trim().split('\n');
    expect(lines[0]).toBe(
      'plgkit render: memory.yaml: All mapping items must start at the same column at line 5, column 1',
    );
    expect(lines[1]).toMatch(
      /^kustomize: trouble configuring builtin PatchTransformer/,
    );
    expect(r.err).toMatch(
      /unable to parse SM or JSON patch from \[path: "memory\.yaml"\]/,
    );
    expect(lines.at(-1)).toBe(
      `hint: fix the YAML at that line, then run plgkit render ${dir} again`,
    );
  });

  it('reports what kustomize cannot build, in one line', () => {
    const dir = join(work, 'broken');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      'resources:\n  - missing.yaml\n',
    );
    const r = run('render', dir);
    expect(r.code).toBe(EXIT.invalid);
    expect(r.errLines).toHaveLength(2);
    expect(r.errLines[0]).toMatch(
      /^plgkit render: kustomize cannot build .*missing\.yaml/,
    );
  });
});

describe('plgkit doctor', () => {
  it('finds node, kubectl and kustomize v5 here', () => {
    const r = run('doctor');
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(/^ok +node: v\d+/m);
    expect(r.out).toMatch(/^ok +kustomize \(in kubectl\): v5/m);
  });

  it("reads an overlay's log pipeline from its rendered Promtail config", () => {
    const pipelineOf = (overlay: string) =>
      overlayPipeline(render(join(REPO, 'overlays', overlay)));
    expect(
      ['minikube', 'minikube-docker', 'containerd'].map(pipelineOf),
    ).toEqual(['auto', 'docker', 'containerd']);
    expect(overlayPipeline([])).toBeUndefined();
  });

  it("says whether each node's runtime fits the overlay, and the fix when it does not", () => {
    const docker = { node: 'minikube', runtimeVersion: 'docker://28.4.0' };
    const containerd = {
      node: 'kind-worker',
      runtimeVersion: 'containerd://2.1.4',
    };
    const crio = { node: 'ocp', runtimeVersion: 'cri-o://1.33.0' };
    expect(
      [docker, containerd, crio].map((n) => checkNodeRuntime(n, 'auto').ok),
    ).toEqual([true, true, true]);
    expect(
      [docker, containerd, crio].map(
        (n) => checkNodeRuntime(n, 'containerd').ok,
      ),
    ).toEqual([false, true, true]);
    expect(checkNodeRuntime(containerd, 'docker')).toMatchObject({
      ok: false,
      detail:
        "runtime containerd://2.1.4, but the overlay's log pipeline is docker's",
      hint: expect.stringContaining('CRI prefix'),
    });
    expect(checkNodeRuntime(docker, undefined).detail).toBe(
      'runtime docker://28.4.0: fits overlays/minikube (auto) or overlays/minikube-docker',
    );
    expect(
      checkNodeRuntime({ node: 'x', runtimeVersion: 'rkt://1.0' }, 'auto').ok,
    ).toBe(false);
  });

  it('says what is missing and how to get it', () => {
    expect(checkNode('v18.19.0')).toMatchObject({
      ok: false,
      hint: expect.stringContaining('Node.js 20'),
    });
    expect(checkKubectl(() => undefined).map((c) => c.ok)).toEqual([
      false,
      false,
    ]);
    expect(
      checkKubectl(() => ({
        clientVersion: { gitVersion: 'v1.24.0' },
        kustomizeVersion: 'v4.5.4',
      }))[1],
    ).toMatchObject({ ok: false, detail: 'v4.5.4, need v5' });
  });

  it('exits 3 from the installed command when kubectl is not on PATH', () => {
    // The built command, run by node with a PATH that has node but no kubectl.
    const bin = join(import.meta.dirname, '../bin/plgkit.js');
    const path = join(work, 'bin');
    mkdirSync(path, { recursive: true });
    symlinkSync(process.execPath, join(path, 'node'));
    const r = spawnSync(join(path, 'node'), [bin, 'doctor'], {
      encoding: 'utf8',
      env: { PATH: path },
    });
    expect(
      spawnSync('/bin/sh', ['-c', 'command -v kubectl'], {
        env: { PATH: path },
      }).status,
    ).not.toBe(0);
    expect(r.status).toBe(EXIT.missingTool);
    expect(r.stdout).toMatch(
      /^missing kubectl: not found on PATH \(install kubectl/m,
    );
  });
});

describe('plgkit dashboards', () => {
  it('names the context kubectl cannot find, with a hint, and exits 1', async () => {
    const r = await runAsync(
      'dashboards',
      '--context',
      'no-such-context-plgkit',
    );
    expect(r.code).toBe(EXIT.invalid);
    expect(r.errLines[0]).toMatch(
      /^plgkit dashboards: kubectl -n monitoring get configmaps .*no-such-context-plgkit/,
    );
    expect(r.errLines[1]).toBe(
      'hint: check that kubectl --context=no-such-context-plgkit reaches the cluster and that the stack runs in namespace monitoring',
    );
  });
});

describe('plgkit check', () => {
  it('names the context kubectl cannot find, with a hint, and exits 1', async () => {
    const r = await runAsync('check', '--context', 'no-such-context-plgkit');
    expect(r.code).toBe(EXIT.invalid);
    expect(r.errLines[0]).toMatch(
      /^plgkit check: kubectl proxy exited \(1\): .*no-such-context-plgkit/,
    );
    expect(r.errLines[1]).toBe(
      'hint: check that kubectl --context=no-such-context-plgkit reaches the cluster',
    );
  });

  it('refuses arguments it does not take', async () => {
    const r = await runAsync('check', 'overlays/minikube');
    expect(r.code).toBe(EXIT.usage);
    expect(r.errLines).toEqual([
      'plgkit check: unexpected arguments: overlays/minikube',
      'hint: plgkit check [--kubeconfig <file>] [--context <name>] [--namespace <ns>] [--json] [--no-wait]',
    ]);
  });
});

describe('one kubectl client: --kubeconfig and --context reach kubectl from every cluster command', () => {
  // A kubeconfig whose only cluster listens nowhere: kubectl itself must read it, and say so.
  const kubeconfig = join(work, 'nowhere.kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: nowhere, cluster: {server: "https://127.0.0.1:1"}}]',
      'users: [{name: nobody, user: {token: "x"}}]',
      'contexts: [{name: nowhere, context: {cluster: nowhere, user: nobody}}]',
      'current-context: nowhere',
    ].join('\n'),
  );

  it.each(['dashboards', 'check'])(
    'plgkit %s --kubeconfig <file> --context <name>',
    async (command) => {
      const r = await runAsync(
        command,
        '--kubeconfig',
        kubeconfig,
        '--context',
        'nowhere',
      );
      expect(r.code).toBe(EXIT.invalid);
      expect(r.errLines[0]).toMatch(/127\.0\.0\.1:1/);
      expect(r.errLines[1]).toMatch(
        new RegExp(
          `^hint: check that kubectl --kubeconfig=${kubeconfig} --context=nowhere reaches the cluster`,
        ),
      );
    },
  );

  it('plgkit doctor --kubeconfig <file>: no cluster answers there, so node runtimes are skipped', () => {
    const r = run('doctor', '--kubeconfig', kubeconfig);
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(/^skip +cluster: none reachable through kubectl/m);
  });
});
