import { join } from 'node:path';
import { OVERLAYS_DIR, overlayCollector } from '../../support/render.js';
import type { OverlaySpec } from './checks.js';

/** Every overlay, the runtime of the nodes it is for, and whether it may carry the development password. */
export const OVERLAYS: Record<string, OverlaySpec> = {
  containerd: { runtime: 'containerd', devCredentials: false },
  minikube: { runtime: 'auto', devCredentials: true },
  'minikube-alloy': { runtime: 'auto', devCredentials: true },
  'minikube-docker': { runtime: 'docker', devCredentials: true },
};

/**
 * An overlay's spec: as listed above, or, for one of your own, its collector's runtime Component and no
 * development password (an overlay nobody listed must not ship one).
 */
export function overlaySpec(
  name: string,
  dir = join(OVERLAYS_DIR, name),
): { spec: OverlaySpec; listed: boolean } {
  const listed = OVERLAYS[name];
  if (listed) return { spec: listed, listed: true };
  return {
    spec: {
      runtime: overlayCollector(name, dir).runtime,
      devCredentials: false,
    },
    listed: false,
  };
}
