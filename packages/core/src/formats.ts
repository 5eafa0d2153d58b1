/**
 * The string formats plgkit options use, each with the message a person needs when a value does not match.
 * Formats are checked by ajv (see options.ts); `hint` turns a near miss into the value that was probably meant.
 */
export interface OptionFormat {
  readonly pattern: RegExp;
  /** What a valid value looks like, completing "expected …". */
  readonly expected: string;
  /** A corrected value for a common near miss, if there is one. */
  readonly hint?: (value: string) => string | undefined;
}

const BINARY_SUFFIX: Record<string, string> = {
  k: 'Ki',
  m: 'Mi',
  g: 'Gi',
  t: 'Ti',
  p: 'Pi',
  e: 'Ei',
};
const DECIMAL_BYTES: Record<string, string> = {
  k: 'KB',
  m: 'MB',
  g: 'GB',
  t: 'TB',
  p: 'PB',
  e: 'EB',
};

/** A Kubernetes resource quantity (https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/). */
export const quantity: OptionFormat = {
  pattern: /^(\d+(\.\d+)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/,
  expected: 'a Kubernetes quantity such as "512Mi", "2Gi" or "250m"',
  hint: (value) => {
    const m = /^(\d+(?:\.\d+)?)\s*([kmgtpe])i?b?$/i.exec(value.trim());
    return m ? `${m[1]}${BINARY_SUFFIX[m[2]!.toLowerCase()]}` : undefined;
  },
};

/** A Prometheus-style duration, also used by Loki (https://prometheus.io/docs/prometheus/latest/configuration/configuration/#duration). */
export const duration: OptionFormat = {
  pattern: /^(?!$)(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/,
  expected:
    'a duration such as "7d", "12h" or "90m" (units y, w, d, h, m, s, ms, largest first)',
  hint: (value) => {
    // Durations are never negative; and "7 days" is "7d".
    const words: Record<string, string> = {
      day: 'd',
      days: 'd',
      hour: 'h',
      hours: 'h',
      minute: 'm',
      minutes: 'm',
      week: 'w',
      weeks: 'w',
    };
    const m = /^-?\s*(\d+)\s*([a-z]+)$/i.exec(value.trim());
    const unit = m && (words[m[2]!.toLowerCase()] ?? m[2]);
    const fixed = m ? `${m[1]}${unit}` : undefined;
    return fixed && fixed !== value && duration.pattern.test(fixed)
      ? fixed
      : undefined;
  },
};

/** A DNS-1123 label: the rule for namespaces and most object names. */
export const dns1123Label: OptionFormat = {
  pattern: /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
  expected:
    'at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit, e.g. "monitoring"',
  hint: (value) => {
    const fixed = value
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63);
    return fixed && fixed !== value ? fixed : undefined;
  },
};

/** A size in bytes as Prometheus flags take it (`--storage.tsdb.retention.size`): decimal units, no "i". */
export const byteSize: OptionFormat = {
  pattern: /^\d+(B|KB|MB|GB|TB|PB|EB)$/,
  expected: 'a size such as "512MB" or "4GB" (units B, KB, MB, GB, TB, PB, EB)',
  hint: (value) => {
    const m = /^(\d+)\s*([kmgtpe])i?b?$/i.exec(value.trim());
    return m ? `${m[1]}${DECIMAL_BYTES[m[2]!.toLowerCase()]}` : undefined;
  },
};

/** An http(s) URL. */
export const httpUrl: OptionFormat = {
  pattern: /^https?:\/\/[^\s/$.?#][^\s]*$/,
  expected: 'an http or https URL such as "http://loki:3100"',
};

export const FORMATS = {
  quantity,
  duration,
  'dns1123-label': dns1123Label,
  'byte-size': byteSize,
  'http-url': httpUrl,
} as const satisfies Record<string, OptionFormat>;

export type FormatName = keyof typeof FORMATS;

const QUANTITY_FACTORS: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const DURATION_SECONDS: Record<string, number> = {
  y: 365 * 86400,
  w: 7 * 86400,
  d: 86400,
  h: 3600,
  m: 60,
  s: 1,
  ms: 1e-3,
};

/** The seconds a Prometheus-style duration stands for ("1d12h" → 129600), to compare durations across options. */
export function durationSeconds(value: string): number {
  if (!duration.pattern.test(value))
    throw new Error(`not a duration: ${JSON.stringify(value)}`);
  let total = 0;
  for (const [, n, unit] of value.matchAll(/(\d+)(ms|[ywdhms])/g))
    total += Number(n) * DURATION_SECONDS[unit!]!;
  return total;
}

/** The number a Kubernetes quantity stands for ("250m" → 0.25, "1Gi" → 1073741824). */
export function parseQuantity(value: string): number {
  const m =
    /^(\d+(?:\.\d+)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/.exec(
      value,
    );
  if (!m)
    throw new Error(`not a Kubernetes quantity: ${JSON.stringify(value)}`);
  return (
    Number(m[1]) * (m[2] ? Number(`1${m[2]}`) : QUANTITY_FACTORS[m[3] ?? '']!)
  );
}

/** Parses a byte size ("4GB") or a Kubernetes quantity ("5Gi") into bytes, to compare sizes across options. */
export function toBytes(value: string): number {
  const m =
    /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|[kMGTPE]|B|KB|MB|GB|TB|PB|EB)?$/.exec(
      value,
    );
  if (!m) throw new Error(`not a size: ${value}`);
  const n = Number(m[1]);
  const unit = m[2] ?? '';
  const binary = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'].indexOf(unit);
  if (binary >= 0) return n * 1024 ** (binary + 1);
  const decimal = ['k', 'M', 'G', 'T', 'P', 'E'].indexOf(unit);
  if (decimal >= 0) return n * 1000 ** (decimal + 1);
  const bytes = ['KB', 'MB', 'GB', 'TB', 'PB', 'EB'].indexOf(unit);
  if (bytes >= 0) return n * 1000 ** (bytes + 1);
  return n;
}
