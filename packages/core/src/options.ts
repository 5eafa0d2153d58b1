import {
  Ajv,
  type ErrorObject,
  type JSONSchemaType,
  type ValidateFunction,
} from 'ajv';
import { FORMATS, type FormatName } from './formats.js';

/** One thing wrong with the options given to a generator. */
export interface OptionIssue {
  /** JSON pointer of the option, e.g. `/resources/limits/memory`, or `(root)`. */
  readonly path: string;
  /** What was wrong and what would be valid. */
  readonly message: string;
}

/** Thrown by every generator for bad options; lists every issue of the call, not only the first. */
export class OptionsError extends Error {
  override readonly name = 'OptionsError';
  constructor(
    readonly component: string,
    readonly issues: readonly OptionIssue[],
  ) {
    super(
      `invalid ${component} options:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`,
    );
  }
}

/** Where plgkit puts the stack unless told otherwise. */
export const DEFAULT_NAMESPACE = 'monitoring';

/** The `namespace` option every component takes. */
export const namespaceOption = {
  type: 'string',
  format: 'dns1123-label',
  nullable: true,
  default: DEFAULT_NAMESPACE,
} as const;

const ajv = new Ajv({
  allErrors: true,
  useDefaults: true,
  strict: true,
  verbose: true,
});
for (const [name, format] of Object.entries(FORMATS))
  ajv.addFormat(name, format.pattern);

const compiled = new WeakMap<object, ValidateFunction>();

/**
 * Validates `input` against a component's options schema and returns it with every default applied.
 * Throws one `OptionsError` that names each bad field, the value it got and a valid example.
 * `crossChecks` runs on the resolved options for rules a schema cannot state (e.g. one size below another).
 */
export function resolveOptions<
  Options,
  Resolved extends Options = Required<Options>,
>(
  component: string,
  schema: JSONSchemaType<Options>,
  input: Options | undefined,
  crossChecks: (resolved: Resolved) => OptionIssue[] = () => [],
): Resolved {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  // useDefaults writes into the object it validates; never touch the caller's.
  const data = structuredClone(input ?? {}) as unknown;
  const valid = validate(data);
  // JSONSchemaType marks optional fields `nullable`, which lets `null` through; an option is set or left out.
  const nulls = nullIssues(data, '');
  const schemaIssues = valid
    ? []
    : describeErrors(validate.errors ?? []).filter(
        (i) => !nulls.some((n) => n.path === i.path),
      );
  const issues = [...nulls, ...schemaIssues];
  if (issues.length > 0) throw new OptionsError(component, issues);
  const crossIssues = crossChecks(data as Resolved);
  if (crossIssues.length > 0) throw new OptionsError(component, crossIssues);
  return data as Resolved;
}

function nullIssues(value: unknown, path: string): OptionIssue[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return [];
  return Object.entries(value).flatMap(([k, v]) =>
    v === null
      ? [
          {
            path: `${path}/${k}`,
            message:
              'got null, expected a value; leave the option out to get its default',
          },
        ]
      : nullIssues(v, `${path}/${k}`),
  );
}

function describeErrors(errors: ErrorObject[]): OptionIssue[] {
  const issues = errors
    // `if`/`anyOf` wrappers repeat what their branches already said.
    .filter((e) => e.keyword !== 'if' && e.keyword !== 'anyOf')
    .map((e) => ({ path: e.instancePath || '(root)', message: describe(e) }));
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path} ${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** ", e.g. <default>" when the option has a simple default to show as a valid value. */
function example(e: ErrorObject): string {
  const d = (e.parentSchema as { default?: unknown } | undefined)?.default;
  return d !== undefined && (typeof d !== 'object' || d === null)
    ? `, e.g. ${show(d)}`
    : '';
}

function describe(e: ErrorObject): string {
  const got = `got ${show(e.data)}`;
  switch (e.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys(
        (e.parentSchema?.properties as object | undefined) ?? {},
      );
      return `unknown option ${show(e.params.additionalProperty)}; valid options here: ${allowed.join(', ')}`;
    }
    case 'format': {
      const format = FORMATS[e.params.format as FormatName];
      if (!format) return `${got}, expected format ${e.params.format}`;
      const hint =
        typeof e.data === 'string' ? format.hint?.(e.data) : undefined;
      return `${got}, expected ${format.expected}${hint ? `; did you mean ${show(hint)}?` : ''}`;
    }
    case 'type':
      return `${got}, expected ${e.params.type === 'object' ? 'an object' : `a ${e.params.type}`}${example(e)}`;
    case 'enum':
      return `${got}, expected one of ${(e.params.allowedValues as unknown[]).map(show).join(', ')}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${got}, expected a number ${e.params.comparison} ${e.params.limit}${example(e)}`;
    case 'minLength':
      return `${got}, expected at least ${e.params.limit} character(s)${example(e)}`;
    case 'required':
      return `missing required option ${show(e.params.missingProperty)}`;
    default:
      return `${got}, ${e.message ?? 'is invalid'}`;
  }
}
