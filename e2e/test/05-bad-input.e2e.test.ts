// Each kind of bad input gets one clear line that says what is wrong and how to fix it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { HarnessError, runAsync } from '../../support/exec.js';
import { binaryDir, goBuild } from '../../support/go-build.js';
import { allRecipes, nodeExporter } from '../../support/recipes.js';
import { installPackages, requirePortsFree } from '../harness/host.js';
import { MANIFESTS_DIR, requireKubernetesDirFree } from '../harness/kubeadm.js';
import { REPO } from '../harness/stack.js';

async function message(work: () => unknown): Promise<string> {
  try {
    await work();
  } catch (e) {
    expect(e).toBeInstanceOf(HarnessError);
    return (e as Error).message;
  }
  throw new Error('expected a HarnessError');
}

it('says that it needs root, and how to run it', () => {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'e2e/cli.ts', 'up'],
    {
      cwd: REPO,
      encoding: 'utf8',
      uid: 65534,
      gid: 65534,
      env: { ...process.env, HOME: '/tmp' },
    },
  );
  expect(r.status).toBe(1);
  expect(r.stderr.trim()).toBe(
    'e2e: the e2e cluster runs a kubelet and containerd, which need root: run it as root (sudo pnpm e2e:up)',
  );
});

it('names a Debian package that cannot be installed, and the command to try by hand', async () => {
  expect(
    await message(() => installPackages(['plgkit-no-such-package'])),
  ).toMatch(
    /^the Debian package plgkit-no-such-package could not be installed; install it by hand \(apt-get install plgkit-no-such-package\) and run again/,
  );
});

it('names a port in use and its owner', async () => {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as { port: number }).port;
  try {
    // The owner's name is its process title (vitest renames its workers).
    expect(
      await message(() => requirePortsFree({ 'kube-apiserver': port })),
    ).toMatch(
      new RegExp(
        `^port ${port} \\(kube-apiserver\\) is in use by .+ \\(pid ${process.pid}\\): stop that process, or run pnpm e2e:down if it is a leftover e2e cluster$`,
      ),
    );
  } finally {
    server.close();
  }
});

it('refuses a machine that is a kubeadm node already, as this one is while the e2e cluster runs', async () => {
  expect(await message(() => requireKubernetesDirFree())).toBe(
    `${MANIFESTS_DIR} exists: this machine looks like a kubeadm node, and the e2e node writes its own control plane there. ` +
      'Remove /etc/kubernetes if it is a leftover, or run the e2e on another machine.',
  );
});

it('names a module version the proxy refuses, and says to pin an exact tag', async () => {
  const text = await message(() =>
    goBuild({ ...nodeExporter, id: 'refused-test', version: 'v1.99.99' }),
  );
  expect(text).toMatch(
    /^the Go module proxy refuses github\.com\/prometheus\/node_exporter@v1\.99\.99/,
  );
  expect(text).toMatch(/fix: pin an exact release tag that the proxy serves/);
});

it('uses binaries from PLGKIT_E2E_BIN after checking their versions, and names one that is missing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plgkit-e2e-bin-'));
  const buildAll = () =>
    runAsync(
      process.execPath,
      ['--import', 'tsx', 'e2e/harness/build-all.ts'],
      { cwd: REPO, env: { ...process.env, PLGKIT_E2E_BIN: dir } },
    );
  try {
    const empty = await buildAll();
    expect(empty.code).toBe(1);
    expect(empty.output).toContain(
      `PLGKIT_E2E_BIN=${dir} has no kube-apiserver: put k8s.io/kubernetes v1.36.1's kube-apiserver there, or unset PLGKIT_E2E_BIN to build it`,
    );
    for (const r of allRecipes())
      for (const p of r.programs)
        symlinkSync(join(binaryDir(r), p.binary), join(dir, p.binary));
    const full = await buildAll();
    expect(full.code, full.output).toBe(0);
    expect(full.output).toContain('kube-apiserver kube-controller-manager');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
