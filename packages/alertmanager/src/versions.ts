export const ALERTMANAGER_VERSION = 'v0.35.0';
/** Upstream's own image (prometheus/alertmanager's Dockerfile: busybox, USER nobody, WORKDIR /alertmanager). */
export const ALERTMANAGER_IMAGE = `quay.io/prometheus/alertmanager:${ALERTMANAGER_VERSION}`;
