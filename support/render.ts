import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { render } from '@plgkit/cli';
import {
  type KubeObject,
  LOG_COLLECTORS,
  type LogCollectorKey,
  RUNTIMES,
  type Runtime,
  STACK,
} from '@plgkit/core';
import { parse } from 'yaml';

export { render } from '@plgkit/cli';

export const REPO = resolve(import.meta.dirname, '..');
export const OVERLAYS_DIR = join(REPO, 'overlays');

/** Every overlay directory, by name. */
export function overlayNames(): string[] {
  return readdirSync(OVERLAYS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

export function renderOverlay(name: string): KubeObject[] {
  return render(join(OVERLAYS_DIR, name));
}

/** The overlay with one more line in `components:`, as a user turns them on: the NetworkPolicies Component. */
export function renderWithNetworkPolicies(overlay: string): KubeObject[] {
  // Two levels below the repository, like the overlay itself, so its relative paths still resolve.
  const scratch = mkdtempSync(join(REPO, '.tmp-netpol-'));
  try {
    const dir = join(scratch, overlay);
    cpSync(join(OVERLAYS_DIR, overlay), dir, { recursive: true });
    const file = join(dir, 'kustomization.yaml');
    const text = readFileSync(file, 'utf8');
    if (!text.includes('components:\n'))
      throw new Error(`overlays/${overlay} lists no components`);
    writeFileSync(
      file,
      text.replace(
        'components:\n',
        'components:\n  - ../../components/network-policies\n',
      ),
    );
    return render(dir);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The log collector an overlay picks and the runtime Component it runs it with, read from its kustomization's lists
 *  (`packages/<collector>/base`, `packages/<collector>/components/<runtime>`): what the overlay declares. */
export function overlayCollector(
  name: string,
  dir = join(OVERLAYS_DIR, name),
): {
  collector: LogCollectorKey;
  runtime: Runtime;
} {
  const k = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as {
    resources?: string[];
    components?: string[];
  };
  const dirOf = (key: LogCollectorKey) =>
    STACK[key].packageName.replace('@plgkit/', '');
  const collector = LOG_COLLECTORS.find((c) =>
    (k.resources ?? []).some((r) => r.endsWith(`packages/${dirOf(c)}/base`)),
  );
  if (!collector)
    throw new Error(`overlays/${name} lists no log collector's base`);
  const runtime = (k.components ?? [])
    .map(
      (c) =>
        new RegExp(`packages/${dirOf(collector)}/components/(\\w+)$`).exec(
          c,
        )?.[1],
    )
    .find((r): r is Runtime =>
      (RUNTIMES as readonly string[]).includes(r ?? ''),
    );
  if (!runtime)
    throw new Error(
      `overlays/${name} lists no runtime Component of ${collector}`,
    );
  return { collector, runtime };
}
