import type { JSONSchemaType } from 'ajv';
import type { ResourceRequirements } from 'kubernetes-types/core/v1.js';
import { parseQuantity } from './formats.js';
import type { OptionIssue } from './options.js';

/** CPU and memory of one side (requests or limits) of a container's resources. */
export interface ResourceAmounts {
  /** CPU, e.g. `"100m"`. */
  readonly cpu?: string;
  /** Memory, e.g. `"256Mi"`. */
  readonly memory?: string;
}

/** A container's requests and limits, as an option. */
export interface ResourceOptions {
  /** What the scheduler reserves for the container. */
  readonly requests?: ResourceAmounts;
  /** The most the container may use; past the memory limit it is OOMKilled. */
  readonly limits?: ResourceAmounts;
}

export type ResolvedResources = {
  readonly requests: Required<ResourceAmounts>;
  readonly limits: Required<ResourceAmounts>;
};

function amountsSchema(
  defaults: Required<ResourceAmounts>,
): OptionalSchema<ResourceAmounts> {
  return {
    type: 'object',
    nullable: true,
    additionalProperties: false,
    default: {},
    properties: {
      cpu: {
        type: 'string',
        format: 'quantity',
        nullable: true,
        default: defaults.cpu,
      },
      memory: {
        type: 'string',
        format: 'quantity',
        nullable: true,
        default: defaults.memory,
      },
    },
  } as OptionalSchema<ResourceAmounts>;
}

/** The schema of an optional object-valued option, as ajv's `JSONSchemaType` expects it inside `properties`. */
type PropertiesOf<S> = S extends { properties?: infer P }
  ? NonNullable<P>
  : never;
export type OptionalSchema<T> =
  PropertiesOf<JSONSchemaType<{ value?: T }>> extends { value: infer V }
    ? V
    : never;

/** The schema of a `resources` option, with the component's defaults. */
export function resourcesSchema(
  defaults: ResolvedResources,
): OptionalSchema<ResourceOptions> {
  return {
    type: 'object',
    nullable: true,
    additionalProperties: false,
    default: {},
    properties: {
      requests: amountsSchema(defaults.requests),
      limits: amountsSchema(defaults.limits),
    },
  } as OptionalSchema<ResourceOptions>;
}

/** Requests above limits are rejected by the API server; say so before anything is written. */
export function resourceIssues(
  path: string,
  resources: ResolvedResources,
): OptionIssue[] {
  return (['cpu', 'memory'] as const).flatMap((r) => {
    const request = resources.requests[r];
    const limit = resources.limits[r];
    return parseQuantity(request) > parseQuantity(limit)
      ? [
          {
            path: `${path}/requests/${r}`,
            message: `got ${JSON.stringify(request)}, expected at most the limit ${JSON.stringify(limit)}`,
          },
        ]
      : [];
  });
}

/** The container field. */
export function containerResources(
  resources: ResolvedResources,
): ResourceRequirements {
  return {
    requests: {
      cpu: resources.requests.cpu,
      memory: resources.requests.memory,
    },
    limits: { cpu: resources.limits.cpu, memory: resources.limits.memory },
  };
}
