import {
  type JSONSchemaType,
  namespaceOption,
  RUNTIMES,
  type Runtime,
  resolveOptions,
} from '@plgkit/core';
import { PROFILES, type Profile } from './profiles.js';
import { COLLECTORS, type Collector } from './stack.js';

/** Options of `plgkit new-overlay`: what an overlay of the whole stack is built from. */
export interface OverlayOptions {
  /**
   * The nodes' container runtime: picks Promtail's log pipeline and host mounts. `auto` reads it from each
   * container's ID, so one overlay fits minikube's containerd default (v1.39+) and its docker runtime. @default "auto"
   */
  readonly runtime?: Runtime;
  /** The log collector: Promtail (end of life since 2026-03-02) or Grafana Alloy, its successor. @default "promtail" */
  readonly collector?: Collector;
  /** Namespace of the whole stack. @default "monitoring" */
  readonly namespace?: string;
  /** Container sizes: `small` fits a default minikube, `medium` is twice that for real nodes. @default "small" */
  readonly profile?: Profile;
  /** How long Prometheus keeps metrics and Loki keeps logs, e.g. `15d`. @default - each component's own (7d) */
  readonly retention?: string;
}

export type ResolvedOverlayOptions = Required<
  Omit<OverlayOptions, 'retention'>
> &
  Pick<OverlayOptions, 'retention'>;

export const overlayOptionsSchema: JSONSchemaType<OverlayOptions> = {
  $id: 'https://plgkit.dev/schemas/overlay-options.json',
  title: 'OverlayOptions',
  type: 'object',
  additionalProperties: false,
  properties: {
    runtime: {
      type: 'string',
      enum: [...RUNTIMES],
      nullable: true,
      default: 'auto',
    },
    collector: {
      type: 'string',
      enum: [...COLLECTORS],
      nullable: true,
      default: 'promtail',
    },
    namespace: namespaceOption,
    profile: {
      type: 'string',
      enum: [...PROFILES],
      nullable: true,
      default: 'small',
    },
    retention: { type: 'string', format: 'duration', nullable: true },
  },
};

/** Validates overlay options and applies defaults; throws `OptionsError` naming every bad field. */
export function resolveOverlayOptions(
  options: OverlayOptions = {},
): ResolvedOverlayOptions {
  return resolveOptions<OverlayOptions, ResolvedOverlayOptions>(
    'overlay',
    overlayOptionsSchema,
    options,
  );
}
