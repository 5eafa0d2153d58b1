/** The upstream kube-state-metrics release this package runs. The only place the version is written. */
export const KUBE_STATE_METRICS_VERSION = 'v2.20.0';
export const KUBE_STATE_METRICS_IMAGE = `registry.k8s.io/kube-state-metrics/kube-state-metrics:${KUBE_STATE_METRICS_VERSION}`;
