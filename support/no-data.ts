// The dashboard panels that cannot have data on the e2e cluster, and why; the README's Dashboards section names the
// same panels (a unit test holds it to this list). Keyed `<dashboard> / <panel> (<refId>)`.
export const NO_DATA_HERE: Readonly<Record<string, string>> = {
  'Cluster overview / Volumes used (A)':
    "the kubelet has no volume stats for hostPath PersistentVolumes, which local-path-provisioner makes here (and minikube's storage-provisioner makes there)",
};
