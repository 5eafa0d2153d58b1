// Every package is fit to publish on its own: manifest fields npm and users rely on, and the release scripts.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../support/render.js';

const json = (path: string) =>
  JSON.parse(readFileSync(join(REPO, path), 'utf8'));
const PACKAGES = readdirSync(join(REPO, 'packages')).sort();

describe('package manifests', () => {
  it.each(PACKAGES)('@plgkit/%s', (dir) => {
    const m = json(`packages/${dir}/package.json`);
    expect(m.name).toBe(`@plgkit/${dir}`);
    expect(m.private).toBeUndefined();
    expect(m.type).toBe('module');
    expect(m.exports['.']).toEqual({
      types: './dist/index.d.ts',
      default: './dist/index.js',
    });
    expect(m.files).toEqual(expect.arrayContaining(['dist', 'README.md']));
    if (dir !== 'core') expect(m.files).toContain('schema');
    if (dir !== 'core' && dir !== 'cli')
      expect(m.files).toEqual(expect.arrayContaining(['base', 'components']));
    expect(m.license).toBe('Apache-2.0');
    expect(m.repository).toEqual({
      type: 'git',
      url: 'https://github.com/plgkit/plgkit.git',
      directory: `packages/${dir}`,
    });
    expect(m.publishConfig).toEqual({ access: 'public' });
    expect(m.engines).toEqual({ node: '>=20' });
    // Internal dependencies through the workspace protocol, so a release publishes matching version ranges.
    for (const [name, range] of Object.entries({
      ...m.dependencies,
      ...m.devDependencies,
    })) {
      if (name.startsWith('@plgkit/')) expect(range, name).toBe('workspace:^');
    }
  });

  it('the CLI is the plgkit command', () => {
    expect(json('packages/cli/package.json').bin).toEqual({
      plgkit: './bin/plgkit.js',
    });
    // Committed and executable, so installs link it before anything is built.
    expect(
      readFileSync(join(REPO, 'packages/cli/bin/plgkit.js'), 'utf8'),
    ).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect(
      statSync(join(REPO, 'packages/cli/bin/plgkit.js')).mode & 0o111,
    ).not.toBe(0);
  });
});

describe('plgkit in this repository', () => {
  it('runs through pnpm exec, as the README says', () => {
    const version = execFileSync('pnpm', ['exec', 'plgkit', '--version'], {
      cwd: REPO,
      encoding: 'utf8',
    }).trim();
    expect(version).toBe(json('packages/cli/package.json').version);
  });
});

describe('changesets', () => {
  it('versions each package on its own and publishes them publicly', () => {
    const config = json('.changeset/config.json');
    expect(config).toMatchObject({
      fixed: [],
      linked: [],
      access: 'public',
      baseBranch: 'main',
    });
  });

  it('releases with changeset version, then a build, then changeset publish', () => {
    const { scripts } = json('package.json');
    expect(scripts.changeset).toBe('changeset');
    const steps = (scripts.release as string).split('&&').map((s) => s.trim());
    expect(steps[0]).toBe('changeset version');
    expect(steps.indexOf('pnpm build')).toBeGreaterThan(0);
    expect(steps.at(-1)).toBe('changeset publish');
  });

  it('every pending changeset names only packages of this repository', () => {
    const files = readdirSync(join(REPO, '.changeset')).filter(
      (f) => f.endsWith('.md') && f !== 'README.md',
    );
    for (const f of files) {
      const front =
        /^---\n([\s\S]*?)\n---/.exec(
          readFileSync(join(REPO, '.changeset', f), 'utf8'),
        )?.[1] ?? '';
      for (const line of front.split('\n')) {
        const m = /^"@plgkit\/([\w-]+)": (patch|minor|major)$/.exec(line);
        expect(m, `${f}: ${line}`).not.toBeNull();
        expect(PACKAGES, f).toContain(m![1]);
      }
    }
  });
});
