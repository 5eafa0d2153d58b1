import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { emitPackage, OptionsError, toYaml } from '@plgkit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { stackNamespace } from '../src/namespace.js';
import { type OverlayOptions, resolveOverlayOptions } from '../src/options.js';
import { newOverlay, stackOptions } from '../src/overlay.js';
import { type Json, strategicDiff } from '../src/patch.js';
import { scaleQuantity } from '../src/profiles.js';
import { render } from '../src/render.js';
import { stackWith } from '../src/stack.js';
import { validateStrict } from '../src/strict.js';
import { writeOverlay } from '../src/write.js';

const REPO = resolve(import.meta.dirname, '../../..');
const work = mkdtempSync(join(tmpdir(), 'plgkit-overlay-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let count = 0;
function written(options: OverlayOptions): string {
  const dir = join(work, `overlay-${count++}`);
  writeOverlay(dir, newOverlay(dir, options));
  return dir;
}

/** What the generators make for the same options, emitted as bases and put together without any patch. */
function generatedDirectly(options: OverlayOptions): string {
  const o = resolveOverlayOptions(options);
  const perComponent = stackOptions(o);
  const root = join(work, `direct-${count++}`);
  const resources = ['namespace.yaml'];
  for (const c of stackWith(o.collector)) {
    emitPackage(join(root, c.name), () =>
      c.output(perComponent[c.name] as never),
    );
    resources.push(`${c.name}/base`);
  }
  writeFileSync(
    join(root, 'namespace.yaml'),
    toYaml(stackNamespace(o.namespace)),
  );
  writeFileSync(
    join(root, 'kustomization.yaml'),
    toYaml({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: o.namespace,
      resources,
      components: [`${o.collector}/components/${o.runtime}`],
    }),
  );
  return root;
}

describe('plgkit new-overlay output', () => {
  it.each([
    {
      runtime: 'docker',
      namespace: 'obs',
      profile: 'medium',
      retention: '15d',
    },
    {
      runtime: 'containerd',
      namespace: 'team-a-monitoring',
      profile: 'small',
      retention: '30d',
    },
    {
      runtime: 'auto',
      collector: 'alloy',
      namespace: 'obs',
      profile: 'medium',
      retention: '15d',
    },
  ] as OverlayOptions[])(
    'renders what the generators make for $runtime, $collector, $namespace, $profile, $retention, and validates strictly',
    (options) => {
      const overlay = render(written(options));
      expect(validateStrict(overlay)).toEqual([]);
      expect(overlay).toEqual(render(generatedDirectly(options)));
      // Spot checks of what the options changed.
      const prometheus = overlay.find(
        (o) => o.kind === 'StatefulSet' && o.metadata.name === 'prometheus',
      ) as any;
      expect(prometheus.metadata.namespace).toBe(options.namespace);
      expect(prometheus.spec.template.spec.containers[0].args).toContain(
        `--storage.tsdb.retention.time=${options.retention}`,
      );
      const collector = options.collector ?? 'promtail';
      const binding = overlay.find(
        (o) => o.kind === 'ClusterRoleBinding' && o.metadata.name === collector,
      ) as any;
      expect(binding.subjects[0].namespace).toBe(options.namespace);
      // One collector only.
      expect(
        overlay
          .filter((o) => o.kind === 'DaemonSet')
          .map((o) => o.metadata.name)
          .sort(),
      ).toEqual([collector, 'node-exporter'].sort());
    },
  );

  it('with containerd and the medium profile, renders exactly overlays/containerd', () => {
    expect(
      render(written({ runtime: 'containerd', profile: 'medium' })),
    ).toEqual(render(join(REPO, 'overlays/containerd')));
  });

  it('with docker and the small profile, renders overlays/minikube-docker but for its dev Secret and NodePort', () => {
    const mine = render(written({ runtime: 'docker' }));
    const minikube = render(join(REPO, 'overlays/minikube-docker'));
    const strip = (objects: typeof mine) =>
      JSON.parse(
        JSON.stringify(objects.filter((o) => o.kind !== 'Secret'))
          .replace(/grafana-admin-[a-z0-9]{10}/g, 'grafana-admin')
          .replace(/"NodePort"/g, '"ClusterIP"'),
      );
    expect(strip(mine)).toEqual(strip(minikube));
  });

  it('with the defaults, changes nothing in the shipped bases: no patches, no config files', () => {
    const dir = written({ runtime: 'containerd' });
    const kustomization = parse(
      readFileSync(join(dir, 'kustomization.yaml'), 'utf8'),
    );
    expect(existsSync(join(dir, 'changes'))).toBe(false);
    expect(kustomization.components).toEqual([
      expect.stringMatching(/packages\/promtail\/components\/containerd$/),
    ]);
  });

  it('sends alerts to a webhook: its URL in a Secret of the overlay, or the URL in a Secret of yours', () => {
    const alertmanager = (objects: ReturnType<typeof render>) =>
      objects.find(
        (o) => o.kind === 'StatefulSet' && o.metadata.name === 'alertmanager',
      ) as any;
    const config = (objects: ReturnType<typeof render>) =>
      parse(
        (
          objects.find(
            (o) =>
              o.kind === 'ConfigMap' &&
              o.metadata.name.startsWith('alertmanager-config'),
          ) as any
        ).data['alertmanager.yml'],
      );
    const withUrl = render(
      written({ alertWebhookUrl: 'https://hooks.example.com/plgkit' }),
    );
    expect(validateStrict(withUrl)).toEqual([]);
    const secret = withUrl.find(
      (o) => o.kind === 'Secret' && o.metadata.name === 'alertmanager-receiver',
    ) as any;
    expect(secret.stringData).toEqual({
      url: 'https://hooks.example.com/plgkit',
    });
    expect(config(withUrl).receivers[0].webhook_configs).toEqual([
      { send_resolved: true, url_file: '/etc/alertmanager/receiver/url' },
    ]);
    // The URL is in the Secret only.
    expect(JSON.stringify(config(withUrl))).not.toContain('hooks.example.com');
    expect(alertmanager(withUrl).spec.template.spec.volumes).toContainEqual({
      name: 'receiver',
      secret: { secretName: 'alertmanager-receiver' },
    });

    const withSecret = render(written({ alertSecret: 'team-hook' }));
    expect(validateStrict(withSecret)).toEqual([]);
    expect(
      withSecret.filter(
        (o) =>
          o.kind === 'Secret' && o.metadata.name.startsWith('alertmanager'),
      ),
    ).toEqual([]);
    expect(alertmanager(withSecret).spec.template.spec.volumes).toContainEqual({
      name: 'receiver',
      secret: { secretName: 'team-hook' },
    });
    expect(() =>
      newOverlay(join(work, 'never-both'), {
        alertWebhookUrl: 'https://hooks.example.com/plgkit',
        alertSecret: 'team-hook',
      }),
    ).toThrow(/\/alertSecret: got both alertWebhookUrl and alertSecret/);
  });

  it('writes the same Namespace as the repository overlays', () => {
    expect(
      parse(
        readFileSync(
          join(REPO, 'components/monitoring-namespace/namespace.yaml'),
          'utf8',
        ),
      ),
    ).toEqual(stackNamespace('monitoring'));
  });

  it('rejects bad options with every field named, before writing anything', () => {
    const dir = join(work, 'never');
    const bad = {
      runtime: 'cri-o',
      namespace: 'Obs',
      profile: 'large',
      retention: '2 weeks',
    } as unknown as OverlayOptions;
    expect(() => newOverlay(dir, bad)).toThrow(OptionsError);
    try {
      newOverlay(dir, bad);
    } catch (e) {
      expect((e as OptionsError).issues.map((i) => i.path).sort()).toEqual([
        '/namespace',
        '/profile',
        '/retention',
        '/runtime',
      ]);
    }
  });
});

describe('strategicDiff', () => {
  it('keeps only what changed, matching list items by their merge key', () => {
    const before: Json = {
      spec: {
        containers: [
          { name: 'a', image: 'x', args: ['--p=1'] },
          { name: 'b', image: 'y' },
        ],
        replicas: 1,
      },
    };
    const after: Json = {
      spec: {
        containers: [
          { name: 'a', image: 'x', args: ['--p=2'] },
          { name: 'b', image: 'y' },
        ],
        replicas: 1,
      },
    };
    expect(strategicDiff(before, after)).toEqual({
      spec: { containers: [{ name: 'a', args: ['--p=2'] }] },
    });
  });

  it('deletes removed keys and list items, and replaces lists without a merge key', () => {
    expect(strategicDiff({ a: 1, b: 2 }, { a: 1 })).toEqual({ b: null });
    expect(
      strategicDiff(
        { volumes: [{ name: 'x' }, { name: 'y' }] },
        { volumes: [{ name: 'x' }] },
      ),
    ).toEqual({ volumes: [{ name: 'y', $patch: 'delete' }] });
    expect(
      strategicDiff(
        { subjects: [{ name: 's', namespace: 'a' }] },
        { subjects: [{ name: 's', namespace: 'b' }] },
      ),
    ).toEqual({ subjects: [{ name: 's', namespace: 'b' }] });
    expect(strategicDiff({ x: [1] }, { x: [1] })).toBeUndefined();
  });
});

describe('scaleQuantity', () => {
  it('scales into the largest whole unit', () => {
    expect(scaleQuantity('512Mi', 2)).toBe('1Gi');
    expect(scaleQuantity('500m', 2)).toBe('1');
    expect(scaleQuantity('100m', 2)).toBe('200m');
    expect(scaleQuantity('384Mi', 2)).toBe('768Mi');
    expect(() => scaleQuantity('0.5', 2)).toThrow(/cannot scale/);
  });
});
