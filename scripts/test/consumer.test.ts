// A user's project: every package packed with `pnpm pack`, installed from the tarballs with npm into a fresh
// directory outside the workspace (no links), then used as the package READMEs say.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { codeBlocks } from '../../support/markdown.js';
import { REPO } from '../../support/render.js';
import {
  missingFromTarball,
  promisedFiles,
  tarballEntries,
} from '../lib/tarball.js';

const PACKAGES = readdirSync(join(REPO, 'packages')).sort();
const COMPONENTS = PACKAGES.filter((p) => p !== 'core' && p !== 'cli');
const work = mkdtempSync(join(tmpdir(), 'plgkit-consumer-'));
const project = join(work, 'project');
const tarballs = new Map<string, string>();

const readme = (pkg: string) =>
  readFileSync(join(REPO, 'packages', pkg, 'README.md'), 'utf8');

/** Runs the installed `plgkit` of the project; returns its exit code and output. */
function plgkit(...args: string[]) {
  const r = spawnSync(join(project, 'node_modules/.bin/plgkit'), args, {
    cwd: project,
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// Asynchronous, so the worker keeps answering vitest while npm works: a synchronous minute blocks its RPC and
// vitest reports "Timeout calling onTaskUpdate".
const run = promisify(execFile);

beforeAll(async () => {
  mkdirSync(join(work, 'tarballs'));
  for (const pkg of PACKAGES) {
    const { stdout } = await run(
      'pnpm',
      ['pack', '--pack-destination', join(work, 'tarballs')],
      { cwd: join(REPO, 'packages', pkg), encoding: 'utf8' },
    );
    tarballs.set(pkg, stdout.trim().split('\n').at(-1)!.trim());
  }
  mkdirSync(project);
  // Every @plgkit dependency, direct or not, comes from its tarball: nothing from a workspace or the registry.
  const local = Object.fromEntries(
    PACKAGES.map((p) => [`@plgkit/${p}`, `file:${tarballs.get(p)}`]),
  );
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify(
      {
        name: 'consumer',
        private: true,
        type: 'module',
        dependencies: local,
        overrides: local,
      },
      null,
      2,
    ),
  );
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: project,
  });
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('packed packages, installed from their tarballs', () => {
  it('are real directories with resolved versions, not workspace links', () => {
    for (const pkg of PACKAGES) {
      const dir = join(project, 'node_modules/@plgkit', pkg);
      expect(lstatSync(dir).isSymbolicLink(), pkg).toBe(false);
      const manifest = readFileSync(join(dir, 'package.json'), 'utf8');
      expect(manifest, pkg).not.toContain('workspace:');
      expect(JSON.parse(manifest).publishConfig.access).toBe('public');
    }
  });

  it.each(PACKAGES)(
    '@plgkit/%s holds every file its README promises',
    (pkg) => {
      expect(promisedFiles(readme(pkg)).length).toBeGreaterThan(1);
      expect(
        missingFromTarball(readme(pkg), tarballEntries(tarballs.get(pkg)!)),
      ).toEqual([]);
    },
  );

  it('a tarball that lacks a promised file fails the check', () => {
    const entries = tarballEntries(tarballs.get('loki')!).filter(
      (e) => e !== 'base/kustomization.yaml',
    );
    expect(missingFromTarball(readme('loki'), entries)).toEqual([
      'base/kustomization.yaml',
    ]);
  });

  it.each(COMPONENTS)(
    "@plgkit/%s: the README's generator example emits a base with its options that renders and validates strictly",
    (pkg) => {
      const [example] = codeBlocks(readme(pkg), 'js');
      writeFileSync(join(project, `emit-${pkg}.mjs`), example!);
      execFileSync(process.execPath, [`emit-${pkg}.mjs`], {
        cwd: project,
        stdio: 'pipe',
      });
      const r = plgkit('render', `${pkg}/base`);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      // The example's non-default namespace is in the emitted base.
      const namespace = /namespace: '([^']+)'/.exec(example!)![1]!;
      expect(
        parse(
          readFileSync(join(project, pkg, 'base/kustomization.yaml'), 'utf8'),
        ).namespace,
      ).toBe(namespace);
      expect(namespace).not.toBe('monitoring');
    },
  );

  it.each(COMPONENTS)(
    "@plgkit/%s: the README's kustomization renders the shipped base from node_modules",
    (pkg) => {
      const [kustomization] = codeBlocks(readme(pkg), 'yaml');
      const dir = join(project, `shipped-${pkg}`);
      mkdirSync(dir, { recursive: true });
      // The README's paths are from the project root; this kustomization sits one level down.
      writeFileSync(
        join(dir, 'kustomization.yaml'),
        kustomization!.replaceAll('node_modules/', '../node_modules/'),
      );
      const r = plgkit('render', `shipped-${pkg}`);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
    },
  );

  it("@plgkit/core: the README's example runs", () => {
    const [example] = codeBlocks(readme('core'), 'js');
    const dir = join(project, 'core-example');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'example.mjs'), example!);
    const out = execFileSync(process.execPath, ['example.mjs'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(out).toContain('base/kustomization.yaml');
    expect(existsSync(join(dir, 'loki/base/kustomization.yaml'))).toBe(true);
  });

  it('the repository README\'s "Use from npm" example runs', () => {
    const [example] = codeBlocks(
      readFileSync(join(REPO, 'README.md'), 'utf8'),
      'js',
    );
    const dir = join(project, 'root-example');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'emit.mjs'), example!);
    execFileSync(process.execPath, ['emit.mjs'], { cwd: dir, stdio: 'pipe' });
    expect(
      parse(readFileSync(join(dir, 'loki/base/kustomization.yaml'), 'utf8'))
        .namespace,
    ).toBe('logs');
  });

  it('the whole stack from the shipped bases renders and validates strictly', () => {
    const dir = join(project, 'stack');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      JSON.stringify({
        namespace: 'monitoring',
        resources: COMPONENTS.map((p) => `../node_modules/@plgkit/${p}/base`),
        components: ['../node_modules/@plgkit/promtail/components/docker'],
      }),
    );
    const r = plgkit('render', 'stack');
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^stack: \d+ objects, all valid/);
  });

  it.each(['docker', 'containerd'])(
    'plgkit new-overlay (%s) writes an overlay on node_modules that renders and validates',
    (runtime) => {
      const dir = `overlays/${runtime}`;
      expect(
        plgkit(
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
      ).toBe(0);
      const kustomization = parse(
        readFileSync(join(project, dir, 'kustomization.yaml'), 'utf8'),
      );
      expect(kustomization.resources).toContain(
        '../../node_modules/@plgkit/loki/base',
      );
      expect(existsSync(join(project, dir, 'changes/kustomization.yaml'))).toBe(
        true,
      );
      const r = plgkit('render', dir);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
    },
  );
});
