import type { Runtime } from './checks.js';

/** Every overlay and the container runtime of the nodes it is for. A new overlay must be added here. */
export const OVERLAY_RUNTIMES: Record<string, Runtime> = {
  containerd: 'containerd',
  minikube: 'docker',
  'minikube-docker': 'docker',
};
