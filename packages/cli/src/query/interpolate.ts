// Template and built-in variables, replaced the way Grafana 12/13 replaces them before a query leaves it.
import { formatInterval, goDuration, roundInterval } from './time.js';

export type DatasourceType = 'prometheus' | 'loki';

/** What a variable is set to: some of its values, or "All". */
export interface Selection {
  readonly all: boolean;
  readonly values: readonly string[];
  /** The variable's `allValue`, used verbatim for "All" when set. */
  readonly allValue?: string;
  /** One value of a variable that is neither multi-value nor "All" (a textbox): not regex-escaped. */
  readonly single?: boolean;
}

/**
 * A value inside a regex matcher (`=~"…"`), escaped for the PromQL or LogQL string it lands in. Grafana's
 * `prometheusSpecialRegexEscape` and `lokiSpecialRegexEscape`: a backslash becomes four, and regex
 * metacharacters get a doubled backslash.
 */
export function regexEscape(value: string, type: DatasourceType): string {
  const special =
    type === 'prometheus' ? /[$^*{}[\]'+?.()|]/g : /[$^*{}[\]+?.()|]/g;
  return value.replace(/\\/g, '\\\\\\\\').replace(special, '\\\\$&');
}

/**
 * A multi-value or "All" variable as its datasource writes it: "All" with an `allValue` is that value, unescaped
 * (Grafana skips formatting of custom all values); otherwise one escaped value, or `(a|b|c)`.
 * https://grafana.com/docs/grafana/latest/datasources/prometheus/template-variables/#use-__rate_interval
 * https://grafana.com/docs/grafana/latest/dashboards/variables/variable-syntax/#advanced-variable-format-options
 */
export function formatSelection(
  s: Selection,
  type: DatasourceType,
  format?: string,
): string {
  if (s.all && s.allValue !== undefined) return s.allValue;
  const values = s.values;
  if (s.single && format === undefined) {
    // Grafana's Loki datasource escapes only quotes of such a value (`lokiRegularEscape`).
    if (type === 'loki') return (values[0] ?? '').replace(/'/g, "\\\\'");
    throw new Error(
      'a single-value (textbox) variable in a Prometheus query is not run here',
    );
  }
  switch (format) {
    case undefined:
    case 'regex': {
      const escaped = values.map((v) =>
        format === 'regex'
          ? v.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&')
          : regexEscape(v, type),
      );
      return escaped.length === 1 ? escaped[0]! : `(${escaped.join('|')})`;
    }
    case 'raw':
      return values.join(',');
    case 'csv':
      return values.join(',');
    case 'pipe':
      return values.join('|');
    default:
      throw new Error(
        `variable format ${JSON.stringify(format)} is not supported here (use raw, regex, csv or pipe)`,
      );
  }
}

// $name, [[name]] or [[name:format]], ${name} or ${name:format}: Grafana's variable syntax.
// https://grafana.com/docs/grafana/latest/dashboards/variables/variable-syntax/
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?::([^}]+))?\}/g;

/** Replaces the dashboard's template variables; built-ins (`$__…`) and unknown names are left as they are. */
export function replaceTemplateVariables(
  expr: string,
  selections: ReadonlyMap<string, Selection>,
  type: DatasourceType,
): string {
  return expr.replace(
    VARIABLE,
    (
      match,
      plain?: string,
      bracket?: string,
      bracketFormat?: string,
      braced?: string,
      bracedFormat?: string,
    ) => {
      const name = plain ?? bracket ?? braced!;
      const selection = selections.get(name);
      if (!selection) return match;
      return formatSelection(selection, type, bracketFormat ?? bracedFormat);
    },
  );
}

/** The time range and resolution a panel's query runs with. Times in ms since the epoch. */
export interface QueryWindow {
  readonly from: number;
  readonly to: number;
  /** Panel width in pixels: Grafana's default max data points. */
  readonly maxDataPoints: number;
  /** The datasource's `jsonData.timeInterval` (its scrape interval), in ms, if set. */
  readonly minInterval?: number;
}

/**
 * `$__interval` as the panel computes it: the range over max data points, rounded by Grafana's table, and never
 * below the datasource's scrape interval (`timeInterval`).
 * https://grafana.com/docs/grafana/latest/dashboards/variables/add-template-variables/#__interval
 */
export function panelInterval(w: QueryWindow): number {
  const rounded = roundInterval((w.to - w.from) / w.maxDataPoints);
  return w.minInterval !== undefined && w.minInterval > rounded
    ? w.minInterval
    : rounded;
}

/** Grafana keeps a query under 11,000 points: the step never falls below range / 11000, rounded. */
const SAFE_RESOLUTION = 11_000;

/** The step Grafana's Prometheus backend sends: the panel interval, at least the safe interval. */
export function prometheusStep(w: QueryWindow): number {
  const minInterval = w.minInterval ?? 15_000;
  const range = w.to - w.from;
  const calculated =
    range / w.maxDataPoints < minInterval
      ? roundInterval(minInterval)
      : roundInterval(range / w.maxDataPoints);
  return Math.max(calculated, roundInterval(range / SAFE_RESOLUTION));
}

/**
 * Prometheus built-ins, as Grafana's backend (pkg/promlib/models/query.go) replaces them:
 * - `$__interval` is the step, in the largest whole unit (`30s`);
 * - `$__rate_interval` is max($__interval + scrape interval, 4 × scrape interval), written as Go writes a duration
 *   (`2m0s`); the scrape interval is the datasource's `timeInterval`, else 15s;
 *   https://grafana.com/docs/grafana/latest/datasources/prometheus/template-variables/#use-__rate_interval
 * - `$__range` is the range in whole seconds (`3600s`), `$__range_s` and `$__range_ms` the number.
 *   https://grafana.com/docs/grafana/latest/dashboards/variables/add-template-variables/#__range
 */
export function replacePrometheusBuiltins(
  expr: string,
  w: QueryWindow,
): string {
  const step = prometheusStep(w);
  const scrape = w.minInterval ?? 15_000;
  const rate = Math.max(panelInterval(w) + scrape, 4 * scrape);
  return replaceBuiltins(expr, {
    __interval_ms: String(step),
    __interval: formatInterval(step),
    __rate_interval_ms: String(rate),
    __rate_interval: goDuration(rate),
    ...rangeBuiltins(w),
  });
}

/**
 * Loki built-ins. `$__auto` is the step for a range query and the whole range for an instant one; `$__interval`
 * and `$__range` are as for Prometheus (Loki datasources have no scrape interval).
 * https://grafana.com/docs/grafana/latest/datasources/loki/template-variables/
 */
export function replaceLokiBuiltins(
  expr: string,
  w: QueryWindow,
  queryType: 'range' | 'instant',
): string {
  const interval = formatInterval(lokiStep(w));
  const range = rangeBuiltins(w);
  return replaceBuiltins(expr, {
    __auto: queryType === 'range' ? interval : range.__range,
    __interval_ms: String(lokiStep(w)),
    __interval: interval,
    ...range,
  });
}

/** The step Grafana's Loki backend sends: the panel interval, at least range / 11000 seconds. */
export function lokiStep(w: QueryWindow): number {
  return Math.max(
    panelInterval(w),
    Math.ceil((w.to - w.from) / SAFE_RESOLUTION / 1000) * 1000,
  );
}

function rangeBuiltins(
  w: QueryWindow,
): Record<'__range' | '__range_s' | '__range_ms', string> {
  const ms = w.to - w.from;
  const s = Math.round(ms / 1000);
  return { __range: `${s}s`, __range_s: String(s), __range_ms: String(ms) };
}

/** `$__name` and `${__name}`; longer names first, so `$__interval_ms` is not read as `$__interval` + `_ms`. */
function replaceBuiltins(expr: string, values: Record<string, string>): string {
  const names = Object.keys(values).sort((a, b) => b.length - a.length);
  const pattern = new RegExp(
    `\\$\\{(${names.join('|')})\\}|\\$(${names.join('|')})(?!\\w)`,
    'g',
  );
  return expr.replace(
    pattern,
    (_, braced?: string, plain?: string) => values[(braced ?? plain)!]!,
  );
}
