import type { KubeObject, KubePatch } from './kube.js';

/** A ConfigMap made by kustomize from files, so its name carries a hash of the content and a change rolls the pods. */
export interface ConfigMapGenerator {
  readonly name: string;
  /** File name (the ConfigMap key) → content. */
  readonly files: Readonly<Record<string, string>>;
  /** `merge` replaces or adds keys of a ConfigMap of the same name made elsewhere (used by Components). */
  readonly behavior?: 'merge' | 'replace';
  readonly labels?: Readonly<Record<string, string>>;
}

/** What a package's `base/` holds: the objects, and the config files kustomize turns into ConfigMaps. */
export interface Base {
  /** The namespace kustomize puts generated ConfigMaps in; objects carry it too. */
  readonly namespace: string;
  readonly resources: readonly KubeObject[];
  readonly configMapGenerators?: readonly ConfigMapGenerator[];
}

/** A kustomize Component: an opt-in change an overlay picks with one line of `components:`. */
export interface Component {
  readonly resources?: readonly KubeObject[];
  /** Strategic-merge patches, matched to their target by kind and name. */
  readonly patches?: readonly KubePatch[];
  readonly configMapGenerators?: readonly ConfigMapGenerator[];
}

/** Everything a component package emits into its own directory. */
export interface PackageOutput {
  readonly base: Base;
  /** Name → Component, emitted under `components/<name>/`. */
  readonly components?: Readonly<Record<string, Component>>;
  /** The JSON Schema of the generator's options, published as `schema/options.schema.json`. */
  readonly optionsSchema: object;
}

/** A kustomize overlay: shipped bases and Components by path, plus its own objects and changes. */
export interface Overlay {
  readonly namespace: string;
  /** Paths of bases and Components, relative to the overlay directory. */
  readonly bases: readonly string[];
  readonly components: readonly string[];
  /** Objects of the overlay's own (the Namespace), one file each. */
  readonly resources: readonly KubeObject[];
  /**
   * What the overlay changes in the bases: config files that replace theirs and patches. Written as a Component in
   * `changes/`, listed after the shipped Components: kustomize applies Components in order, so these win.
   */
  readonly changes: Component;
  /** Comment lines at the top of kustomization.yaml: how the overlay was made. */
  readonly header?: readonly string[];
}
