/** What a workload is, for the `app.kubernetes.io/*` recommended labels. */
export interface AppIdentity {
  /** The application, e.g. `prometheus`. */
  readonly name: string;
  /** Its role in the stack, e.g. `metrics-server`, `log-collector`. */
  readonly component: string;
  /** The upstream version it runs. */
  readonly version: string;
}

/** Every plgkit object is part of the same stack. */
export const PART_OF = 'plgkit';

/** The recommended labels (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/). */
export function labels(app: AppIdentity): Record<string, string> {
  return { ...selectorLabels(app), 'app.kubernetes.io/version': app.version };
}

/**
 * The labels a selector matches: the recommended labels minus the version, because selectors are immutable and a
 * version bump must not require deleting the workload (kube-prometheus does the same).
 */
export function selectorLabels(app: AppIdentity): Record<string, string> {
  return {
    'app.kubernetes.io/name': app.name,
    'app.kubernetes.io/component': app.component,
    'app.kubernetes.io/part-of': PART_OF,
  };
}
