/** The parts of kustomize's Kustomization and Component (v5) that plgkit writes. */
export interface Kustomization {
  apiVersion:
    | 'kustomize.config.k8s.io/v1beta1'
    | 'kustomize.config.k8s.io/v1alpha1';
  kind: 'Kustomization' | 'Component';
  namespace?: string;
  resources?: string[];
  components?: string[];
  configMapGenerator?: ConfigMapGeneratorEntry[];
  patches?: { path: string; target?: { kind: string; name: string } }[];
}

export interface ConfigMapGeneratorEntry {
  name: string;
  behavior?: 'create' | 'merge' | 'replace';
  files: string[];
  options?: { labels?: Record<string, string> };
}

export const KUSTOMIZATION_API = 'kustomize.config.k8s.io/v1beta1';
export const COMPONENT_API = 'kustomize.config.k8s.io/v1alpha1';
