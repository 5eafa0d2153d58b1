import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { render } from '@plgkit/cli';
import type { KubeObject } from '@plgkit/core';

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
