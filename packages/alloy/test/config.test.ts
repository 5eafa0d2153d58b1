import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUNTIMES } from '@plgkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ALLOY_BUILD_TIMEOUT_MS,
  alloyBinary,
} from '../../../support/upstream-binaries.js';
import {
  alloy,
  alloyConfig,
  attr,
  type Block,
  block,
  formatConfig,
  type Statement,
} from '../src/index.js';

// The generated config.alloy, checked by the real `alloy` binary at the pinned version: `alloy fmt` must leave it
// as it is (the serializer writes what Alloy's formatter writes), and `alloy validate` must accept it (it loads every
// component and rejects an unknown argument, which `fmt` alone does not).

let alloyBin: string;
const dir = mkdtempSync(join(tmpdir(), 'plgkit-alloy-'));

function write(name: string, statements: readonly Statement[]): string {
  const file = join(dir, name);
  writeFileSync(file, formatConfig(statements));
  return file;
}

const run = (...args: string[]) =>
  spawnSync(alloyBin, args, {
    encoding: 'utf8',
    env: { ...process.env, HOSTNAME: 'minikube' },
  });

/** The stability level the DaemonSet runs Alloy at. */
const stabilityLevel = () =>
  (
    alloy.base().resources.find((o) => o.kind === 'DaemonSet') as any
  ).spec.template.spec.containers[0].args
    .find((a: string) => a.startsWith('--stability.level='))
    .split('=')[1];

/**
 * `alloy run` at the DaemonSet's stability level, outside a cluster: the components it could not build, with why.
 * `alloy validate` does not check stability levels; `run` does, as it builds each component, and stops at once here
 * since discovery.kubernetes finds no cluster.
 */
function failingComponents(file: string): [string, string][] {
  const storage = mkdtempSync(join(tmpdir(), 'plgkit-alloy-run-'));
  const r = spawnSync(
    alloyBin,
    [
      'run',
      `--stability.level=${stabilityLevel()}`,
      `--storage.path=${storage}`,
      // A fixed port: Alloy's cluster node refuses port 0. Only one test file runs Alloy.
      '--server.http.listen-addr=127.0.0.1:12399',
      file,
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, HOSTNAME: 'minikube' },
      timeout: 30_000,
    },
  );
  rmSync(storage, { recursive: true, force: true });
  expect(r.status, r.stderr).not.toBe(0);
  return [
    ...r.stderr.matchAll(
      /msg="failed to evaluate config".* node=(\S+) err="([^"]*)"/g,
    ),
  ].map((m) => [m[1]!, m[2]!]);
}

beforeAll(async () => {
  alloyBin = await alloyBinary();
}, ALLOY_BUILD_TIMEOUT_MS);

describe.each(RUNTIMES)('config.alloy for %s', (runtime) => {
  const config = alloyConfig(alloy.resolve({ runtime }));

  it('is what alloy fmt writes', () => {
    const file = write(`${runtime}.alloy`, config);
    const r = run('fmt', file);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(formatConfig(config));
  });

  it("builds every component at the DaemonSet's stability level, but the discovery that needs a cluster", () => {
    expect(failingComponents(write(`${runtime}-run.alloy`, config))).toEqual([
      [
        'discovery.kubernetes.pods',
        expect.stringMatching(/in-cluster configuration/),
      ],
    ]);
  });

  it('passes alloy validate', () => {
    const r = run('validate', write(`${runtime}-validate.alloy`, config));
    expect(`${r.stdout}${r.stderr}`.trim()).toBe('');
    expect(r.status).toBe(0);
  });
});

it('alloy run refuses an argument above the stability level, which alloy validate lets through, so the check can fail', () => {
  const config = alloyConfig(alloy.resolve({ runtime: 'auto' })).map((s) =>
    'block' in s && s.block === 'loki.write'
      ? ({
          ...s,
          body: [
            block('endpoint', [
              attr('url', 'http://loki:3100/loki/api/v1/push'),
              block('queue_config', [attr('drain_timeout', '60s')]),
            ]),
          ],
        } as Block)
      : s,
  );
  const file = write('experimental.alloy', config);
  expect(run('validate', file).status).toBe(0);
  expect(failingComponents(file)).toContainEqual([
    'loki.write.default',
    expect.stringMatching(/requires stability.level flag to be experimental/),
  ]);
});

it('alloy validate fails a config with an argument Alloy does not know, so the check can fail', () => {
  const config = alloyConfig(alloy.resolve({ runtime: 'auto' })).map((s) =>
    'block' in s && s.block === 'loki.write'
      ? ({ ...s, body: [...s.body, attr('bogus_argument', 1)] } as Block)
      : s,
  );
  expect(formatConfig(config)).toContain('bogus_argument = 1');
  const r = run('validate', write('broken.alloy', config));
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(/unrecognized attribute name "bogus_argument"/);
});

it('alloy fmt rewrites what the serializer would not write, so the comparison can fail', () => {
  const file = join(dir, 'unformatted.alloy');
  writeFileSync(
    file,
    'loki.write "default" {\nendpoint {\nurl="http://loki:3100/loki/api/v1/push"\n}\n}\n',
  );
  const r = run('fmt', file);
  expect(r.stdout).toBe(
    formatConfig([
      block(
        'loki.write',
        [block('endpoint', [attr('url', 'http://loki:3100/loki/api/v1/push')])],
        'default',
      ),
    ]),
  );
  expect(r.stdout).not.toBe(
    'loki.write "default" {\nendpoint {\nurl="http://loki:3100/loki/api/v1/push"\n}\n}\n',
  );
});
