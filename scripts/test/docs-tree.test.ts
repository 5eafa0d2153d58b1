// CONTRIBUTING's Layout and ARCHITECTURE's diagram name every package, command, overlay and Component in the tree,
// and code comments name nothing outside the repository but upstream sources.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { COMMAND_NAMES } from '@plgkit/cli';
import { describe, expect, it } from 'vitest';
import { overlayCollector, REPO } from '../../support/render.js';

const dirs = (path: string) =>
  existsSync(path)
    ? readdirSync(path).filter((d) => statSync(join(path, d)).isDirectory())
    : [];
const block = (text: string, start: string, fence = '```') => {
  const from = text.indexOf(start);
  if (from < 0) throw new Error(`no ${JSON.stringify(start)}`);
  const open = text.indexOf(fence, from);
  return text.slice(
    open + fence.length,
    text.indexOf('```', open + fence.length),
  );
};

const packages = dirs(join(REPO, 'packages'));
const overlays = dirs(join(REPO, 'overlays'));
const repoComponents = dirs(join(REPO, 'components'));
const packageComponents = Object.fromEntries(
  packages.map((p) => [p, dirs(join(REPO, 'packages', p, 'components'))]),
);

describe("CONTRIBUTING's Layout names the tree", () => {
  const layout = block(
    readFileSync(join(REPO, 'CONTRIBUTING.md'), 'utf8'),
    '## Layout',
  );
  const lineOf = (pkg: string) =>
    layout.split('\n').find((l) => l.startsWith(`packages/${pkg} `)) ?? '';

  it.each(packages)('packages/%s, with each of its Components', (pkg) => {
    expect(lineOf(pkg)).not.toBe('');
    for (const c of packageComponents[pkg]!)
      expect(lineOf(pkg), `packages/${pkg}/components/${c}`).toContain(c);
  });
  it('every command, on the cli line', () => {
    for (const command of COMMAND_NAMES)
      expect(lineOf('cli')).toContain(command);
  });
  it('every overlay and every Component of components/', () => {
    for (const name of [...overlays, ...repoComponents])
      expect(layout).toMatch(new RegExp(`\\b${name}\\b`));
  });
});

describe("ARCHITECTURE's diagram names the tree", () => {
  const diagram = block(
    readFileSync(join(REPO, 'ARCHITECTURE.md'), 'utf8'),
    '```mermaid',
    '\n',
  );
  it.each([
    ['package', packages],
    ['command', COMMAND_NAMES],
    ['overlay', overlays],
    [
      'Component',
      [...repoComponents, ...new Set(Object.values(packageComponents).flat())],
    ],
  ])('every %s', (_, names) => {
    expect(
      names.filter(
        (n) => !new RegExp(`(^|[^\\w-])${n}($|[^\\w-])`).test(diagram),
      ),
    ).toEqual([]);
  });
});

describe('code comments name nothing outside the repository', () => {
  const SOURCE = /\.(ts|go|c|ya?ml)$|^run$/;
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory())
        return ['node_modules', 'dist', '.git', 'fixtures'].includes(e.name) ||
          e.name.startsWith('.tmp')
          ? []
          : files(path);
      return SOURCE.test(e.name) && path !== import.meta.filename ? [path] : [];
    });
  it('no "the seed", "Point N" or "Issue N" (the tracker is not in the repository)', () => {
    const offenders = [
      'packages',
      'scripts',
      'e2e',
      'components',
      'overlays',
      '.ci',
    ]
      .flatMap((d) => files(join(REPO, d)))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => [line, i] as const)
          .filter(([line]) =>
            /(\/\/|#|\*).*\b(the seed|points? \d+\b|issues? \d+\b)/i.test(line),
          )
          .map(([, i]) => `${relative(REPO, f)}:${i + 1}`),
      );
    expect(offenders).toEqual([]);
  });
});

describe('test support has one direction of imports', () => {
  const importsOf = (dir: string) =>
    readdirSync(join(REPO, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) =>
        [
          ...readFileSync(join(REPO, dir, f), 'utf8').matchAll(
            /from '((?:\.\.\/)+[^']+)'/g,
          ),
        ].map((m) => relative(REPO, join(REPO, dir, f, '..', m[1]!))),
      );
  it.each([
    ['scripts', 'e2e'],
    ['e2e', 'scripts'],
    ['support', 'scripts'],
    ['support', 'e2e'],
  ])('%s/ imports nothing from %s/', (from, to) => {
    expect(importsOf(from).filter((p) => p.startsWith(`${to}/`))).toEqual([]);
  });
});

describe("what an overlay declares, read for the e2e's expectations", () => {
  it.each([
    ['minikube', 'promtail', 'auto'],
    ['minikube-docker', 'promtail', 'docker'],
    ['minikube-alloy', 'alloy', 'auto'],
    ['containerd', 'promtail', 'containerd'],
  ])(
    'overlays/%s runs %s with the %s pipeline',
    (overlay, collector, runtime) => {
      expect(overlayCollector(overlay)).toEqual({ collector, runtime });
    },
  );
});
