// The README is a newcomer's path: its sections in the order a first hour needs them, the first screen enough to
// reach Grafana, and its snippets for one's own app and dashboard doing what they say on the shipped overlay.
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { render } from '@plgkit/cli';
import { prometheusConfig, resolvePrometheusOptions } from '@plgkit/prometheus';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { codeBlocks, markdownSection } from '../../support/markdown.js';
import { OVERLAYS_DIR, REPO } from '../../support/render.js';

const README = readFileSync(join(REPO, 'README.md'), 'utf8');

const section = (heading: string) => markdownSection(README, heading);

const NEWCOMER_PATH = [
  'Get the code',
  'Quick start',
  'Log in',
  'See metrics and logs',
  'When something fails',
  'Scrape your own app',
  'Add your own dashboard',
  'Change sizes',
  'Upgrade',
  'Uninstall',
];

describe('the README', () => {
  it('opens with the path a newcomer walks, in order', () => {
    const headings = [...README.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings.slice(0, NEWCOMER_PATH.length)).toEqual(NEWCOMER_PATH);
  });

  it('gets from a clone to Grafana within its first 60 lines', () => {
    const firstScreen = README.split('\n').slice(0, 60).join('\n');
    for (const step of [
      'git clone https://github.com/plgkit/plgkit.git',
      'pnpm install && pnpm build',
      'minikube start',
      'kubectl apply -k overlays/minikube',
      'rollout status',
      'plgkit check',
      'minikube service grafana -n monitoring',
      '`admin` / `plgkit-dev`',
    ])
      expect(firstScreen).toContain(step);
  });

  it('leaves the test harness and the measurements to docs/, and links them', () => {
    for (const harness of ['runc', 'go.sum', 'cgroup', 'PLGKIT_E2E', 'e2e:up'])
      expect(README).not.toContain(harness);
    for (const doc of [
      'docs/e2e.md',
      'docs/measured.md',
      'CONTRIBUTING.md',
      'ARCHITECTURE.md',
    ])
      expect(README).toContain(`(${doc})`);
  });

  it("annotates one's app with exactly the annotations Prometheus's pod and Service jobs read", () => {
    const [snippet] = codeBlocks(section('Scrape your own app'), 'yaml');
    const annotations = Object.keys(parse(snippet!).metadata.annotations);
    expect(annotations).toEqual([
      'prometheus.io/scrape',
      'prometheus.io/port',
      'prometheus.io/path',
    ]);
    const config = prometheusConfig(resolvePrometheusOptions());
    for (const job of ['kubernetes-pods', 'kubernetes-service-endpoints']) {
      const kind = job === 'kubernetes-pods' ? 'pod' : 'service';
      const read = config.scrape_configs
        .find((j) => j.job_name === job)!
        .relabel_configs!.flatMap((r) => r.source_labels ?? []);
      for (const a of annotations)
        expect(read, job).toContain(
          `__meta_kubernetes_${kind}_annotation_${a.replace(/[./]/g, '_')}`,
        );
    }
  });

  it("adds one's dashboard to Grafana's with the overlay lines it shows", () => {
    const [snippet] = codeBlocks(section('Add your own dashboard'), 'yaml');
    // Two levels below the repository, like the overlay itself, so its relative paths still resolve.
    const scratch = mkdtempSync(join(REPO, '.tmp-readme-'));
    try {
      const dir = join(scratch, 'minikube');
      cpSync(join(OVERLAYS_DIR, 'minikube'), dir, { recursive: true });
      const file = join(dir, 'kustomization.yaml');
      writeFileSync(
        file,
        stringify({
          ...parse(readFileSync(file, 'utf8')),
          ...parse(snippet!),
        }),
      );
      const mine = { title: 'My app', uid: 'my-app', panels: [] };
      writeFileSync(join(dir, 'my-app.json'), JSON.stringify(mine));
      const objects = render(dir) as any[];
      const dashboards = objects.find(
        (o) =>
          o.kind === 'ConfigMap' &&
          o.metadata.name.startsWith('grafana-dashboards-'),
      );
      expect(Object.keys(dashboards.data)).toContain('my-app.json');
      expect(Object.keys(dashboards.data)).toContain('cluster-overview.json');
      expect(JSON.parse(dashboards.data['my-app.json'])).toEqual(mine);
      const grafana = objects.find(
        (o) => o.kind === 'Deployment' && o.metadata.name === 'grafana',
      );
      expect(
        grafana.spec.template.spec.volumes.map((v: any) => v.configMap?.name),
      ).toContain(dashboards.metadata.name);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
