// Each kind of bad input gets one clear line that says what is wrong and how to fix it.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { expect, it } from 'vitest';
import { HarnessError } from '../harness/exec.js';
import { goBuild } from '../harness/go-build.js';
import { installPackages, requirePortsFree } from '../harness/host.js';
import { nodeExporter } from '../harness/recipes.js';
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
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'e2e/cli.ts', 'up'], { cwd: REPO, encoding: 'utf8', uid: 65534, gid: 65534, env: { ...process.env, HOME: '/tmp' } });
  expect(r.status).toBe(1);
  expect(r.stderr.trim()).toBe('e2e: the e2e cluster runs a kubelet and containerd, which need root: run it as root (sudo pnpm e2e:up)');
});

it('names a Debian package that cannot be installed, and the command to try by hand', async () => {
  expect(await message(() => installPackages(['plgkit-no-such-package']))).toMatch(
    /^the Debian package plgkit-no-such-package could not be installed; install it by hand \(apt-get install plgkit-no-such-package\) and run again/,
  );
});

it('names a port in use and its owner', async () => {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as { port: number }).port;
  try {
    // The owner's name is its process title (vitest renames its workers).
    expect(await message(() => requirePortsFree({ 'kube-apiserver': port }))).toMatch(
      new RegExp(`^port ${port} \\(kube-apiserver\\) is in use by .+ \\(pid ${process.pid}\\): stop that process, or run pnpm e2e:down if it is a leftover e2e cluster$`),
    );
  } finally {
    server.close();
  }
});

it('names a module version the proxy refuses, and says to pin an exact tag', async () => {
  const text = await message(() => goBuild({ ...nodeExporter, id: 'refused-test', version: 'v1.99.99' }));
  expect(text).toMatch(/^the Go module proxy refuses github\.com\/prometheus\/node_exporter@v1\.99\.99/);
  expect(text).toMatch(/fix: pin an exact release tag that the proxy serves/);
});
