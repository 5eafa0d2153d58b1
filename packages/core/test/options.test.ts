import { describe, expect, it } from 'vitest';
import {
  type JSONSchemaType,
  OptionsError,
  type ResourceOptions,
  resolveOptions,
  resourceIssues,
  resourcesSchema,
} from '../src/index.js';

interface DemoOptions {
  namespace?: string;
  retention?: string;
  port?: number;
  mode?: 'a' | 'b';
  resources?: ResourceOptions;
}

const schema: JSONSchemaType<DemoOptions> = {
  type: 'object',
  additionalProperties: false,
  properties: {
    namespace: {
      type: 'string',
      format: 'dns1123-label',
      nullable: true,
      default: 'monitoring',
    },
    retention: {
      type: 'string',
      format: 'duration',
      nullable: true,
      default: '7d',
    },
    port: {
      type: 'integer',
      minimum: 1,
      maximum: 65535,
      nullable: true,
      default: 9090,
    },
    mode: { type: 'string', enum: ['a', 'b'], nullable: true, default: 'a' },
    resources: resourcesSchema({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '1', memory: '256Mi' },
    }),
  },
};

const resolve = (input: unknown) =>
  resolveOptions<DemoOptions>('demo', schema, input as DemoOptions, (o) =>
    resourceIssues('/resources', o.resources as never),
  );

function issuesOf(input: unknown): string[] {
  try {
    resolve(input);
  } catch (e) {
    expect(e).toBeInstanceOf(OptionsError);
    return (e as OptionsError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected an OptionsError');
}

describe('resolveOptions', () => {
  it('applies every default, nested ones included, without touching the input', () => {
    const input = { resources: { limits: { memory: '1Gi' } } };
    expect(resolve(input)).toEqual({
      namespace: 'monitoring',
      retention: '7d',
      port: 9090,
      mode: 'a',
      resources: {
        requests: { cpu: '100m', memory: '128Mi' },
        limits: { cpu: '1', memory: '1Gi' },
      },
    });
    expect(input).toEqual({ resources: { limits: { memory: '1Gi' } } });
  });

  it('names the field, the value and the fix for a quantity in the wrong unit', () => {
    expect(issuesOf({ resources: { limits: { memory: '7GB' } } })).toEqual([
      '/resources/limits/memory: got "7GB", expected a Kubernetes quantity such as "512Mi", "2Gi" or "250m"; did you mean "7Gi"?',
    ]);
  });

  it('rejects a negative duration', () => {
    expect(issuesOf({ retention: '-1d' })).toEqual([
      '/retention: got "-1d", expected a duration such as "7d", "12h" or "90m" (units y, w, d, h, m, s, ms, largest first); did you mean "1d"?',
    ]);
  });

  it('rejects a namespace that is not a DNS-1123 label and suggests one', () => {
    expect(issuesOf({ namespace: 'Monitoring_1' })).toEqual([
      '/namespace: got "Monitoring_1", expected at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit, e.g. "monitoring"; did you mean "monitoring-1"?',
    ]);
  });

  it('reports every error of one call together, unknown keys included', () => {
    const issues = issuesOf({
      replicas: 2,
      port: 70000,
      mode: 'c',
      namespace: 5,
    });
    expect(issues).toEqual([
      '(root): unknown option "replicas"; valid options here: namespace, retention, port, mode, resources',
      '/namespace: got 5, expected a string, e.g. "monitoring"',
      '/port: got 70000, expected a number <= 65535, e.g. 9090',
      '/mode: got "c", expected one of "a", "b"',
    ]);
  });

  it('rejects null, which the nullable optional fields would otherwise let past their defaults', () => {
    expect(issuesOf({ resources: null, namespace: 'Bad', mode: null })).toEqual(
      [
        '/resources: got null, expected a value; leave the option out to get its default',
        '/mode: got null, expected a value; leave the option out to get its default',
        '/namespace: got "Bad", expected at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit, e.g. "monitoring"; did you mean "bad"?',
      ],
    );
  });

  it('runs cross-field checks after the schema: requests above limits', () => {
    expect(
      issuesOf({
        resources: { requests: { memory: '1Gi' }, limits: { memory: '512Mi' } },
      }),
    ).toEqual([
      '/resources/requests/memory: got "1Gi", expected at most the limit "512Mi"',
    ]);
  });

  it('puts every issue in the message, one per line', () => {
    expect(() => resolve({ namespace: 'A', retention: 'x' })).toThrow(
      /^invalid demo options:\n {2}- \/namespace: got "A".*\n {2}- \/retention: got "x"/,
    );
  });
});
