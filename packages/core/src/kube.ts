import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';

/**
 * A Kubernetes object as plgkit writes it. `kubernetes-types` leaves `apiVersion`, `kind` and `metadata`
 * optional because the API server fills them; a manifest must carry them, so here they are required.
 */
export type KubeObject<T extends object = object> = Omit<
  T,
  'apiVersion' | 'kind' | 'metadata'
> & {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta & { name: string };
};

/** A strategic-merge patch: enough of an object to find its target (kind and name) and the fields it changes. */
export type KubePatch = {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
} & Record<string, unknown>;

/** The path of the service-account credentials that Kubernetes mounts into every pod that asks for them. */
export const SERVICE_ACCOUNT_DIR =
  '/var/run/secrets/kubernetes.io/serviceaccount';
