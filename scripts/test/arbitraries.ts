import fc from 'fast-check';

// Inputs derived from a generator's own options JSON Schema: for each field a mix of valid values, near misses
// people type ("7GB", "-1d", "Monitoring_1") and anything at all; sometimes unknown keys; sometimes not an object.

const VALID: Record<string, string[]> = {
  quantity: ['128Mi', '1Gi', '250m', '2', '0.5', '1e3', '10Gi'],
  duration: ['7d', '12h', '90m', '30s', '1w', '168h'],
  'dns1123-label': ['monitoring', 'obs', 'a', 'team-1-logs'],
  'byte-size': ['512MB', '4GB', '1GB'],
  'http-url': [
    'http://loki:3100',
    'https://example.com/push',
    'http://prometheus.obs.svc:9090',
  ],
};
const NEAR_MISSES = [
  '7GB',
  '-1d',
  'Monitoring_1',
  '4Gi',
  '',
  ' ',
  'latest',
  '1 Gi',
  'http//x',
  '7 days',
  '0x10',
];

interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
}

export function valueFor(schema: Schema): fc.Arbitrary<unknown> {
  const junk = fc.oneof(
    fc.constantFrom(...NEAR_MISSES),
    fc.string(),
    fc.anything({ maxDepth: 2 }),
  );
  if (schema.type === 'object' && schema.properties)
    return fc.oneof(
      { weight: 4, arbitrary: optionsFor(schema) },
      { weight: 1, arbitrary: junk },
    );
  if (schema.enum)
    return fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...schema.enum) },
      { weight: 1, arbitrary: junk },
    );
  if (schema.format && VALID[schema.format])
    return fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...VALID[schema.format]!) },
      { weight: 1, arbitrary: junk },
    );
  if (schema.type === 'integer')
    return fc.oneof(fc.integer({ min: -5, max: 200_000 }), junk);
  if (schema.type === 'number')
    return fc.oneof(
      fc.double({ min: -5, max: 1000, noNaN: true }),
      fc.integer({ min: 1, max: 64 }),
      junk,
    );
  if (schema.type === 'boolean')
    return fc.oneof(
      { weight: 3, arbitrary: fc.boolean() },
      { weight: 1, arbitrary: junk },
    );
  return fc.oneof(fc.string(), junk);
}

export function optionsFor(schema: Schema): fc.Arbitrary<unknown> {
  const known = fc.record(
    Object.fromEntries(
      Object.entries(schema.properties ?? {}).map(([k, s]) => [k, valueFor(s)]),
    ),
    { requiredKeys: [] },
  );
  const unknown = fc.option(
    fc.dictionary(
      fc.constantFrom('replicas', 'image', 'retension', 'Namespace'),
      fc.anything({ maxDepth: 1 }),
      { maxKeys: 1 },
    ),
    { freq: 5 },
  );
  return fc.tuple(known, unknown).map(([k, u]) => ({ ...u, ...k }));
}

/** Top-level input: usually an options object, sometimes undefined or not an object at all. */
export function inputFor(schema: Schema): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 12, arbitrary: optionsFor(schema) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) },
  );
}
