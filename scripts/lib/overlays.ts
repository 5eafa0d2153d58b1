import type { OverlaySpec } from './checks.js';

/** Every overlay, the runtime of the nodes it is for, and whether it may carry the development password. */
export const OVERLAYS: Record<string, OverlaySpec> = {
  containerd: { runtime: 'containerd', devCredentials: false },
  minikube: { runtime: 'auto', devCredentials: true },
  'minikube-alloy': { runtime: 'auto', devCredentials: true },
  'minikube-docker': { runtime: 'docker', devCredentials: true },
};
