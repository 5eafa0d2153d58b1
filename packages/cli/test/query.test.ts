// Grafana's interpolation rules, as the dashboard query runner applies them (see src/query/interpolate.ts for the
// documentation of each rule). The runner itself runs against the real cluster in `pnpm e2e`.
import { describe, expect, it } from 'vitest';
import {
  lokiStep,
  prometheusStep,
  type QueryWindow,
  regexEscape,
  replaceLokiBuiltins,
  replacePrometheusBuiltins,
  replaceTemplateVariables,
  type Selection,
} from '../src/query/interpolate.js';
import { parseLabelValues } from '../src/query/runner.js';
import {
  formatInterval,
  goDuration,
  roundInterval,
} from '../src/query/time.js';

const HOUR: QueryWindow = {
  from: 0,
  to: 3_600_000,
  maxDataPoints: 960,
  minInterval: 30_000,
};

describe('Grafana interval arithmetic', () => {
  it.each([
    [1_875, 2_000],
    [3_750, 5_000],
    [15_000, 15_000],
    [17_500, 15_000],
    [17_501, 20_000],
    [45_000, 30_000],
    [60_000, 60_000],
    [300_000, 300_000],
    [7_200_000, 7_200_000],
  ])('rounds %i ms to %i ms', (ms, rounded) =>
    expect(roundInterval(ms)).toBe(rounded),
  );

  it.each([
    [30_000, '30s', '30s'],
    [120_000, '2m', '2m0s'],
    [90_000, '1m', '1m30s'],
    [3_600_000, '1h', '1h0m0s'],
    [500, '500ms', '500ms'],
  ])(
    'writes %i ms as %s ($__interval) and %s ($__rate_interval)',
    (ms, interval, go) => {
      expect(formatInterval(ms)).toBe(interval);
      expect(goDuration(ms)).toBe(go);
    },
  );
});

describe('Prometheus built-ins', () => {
  it('gives a 1 h panel of 960 px the scrape interval as step, and 4 × it as $__rate_interval', () => {
    expect(prometheusStep(HOUR)).toBe(30_000);
    expect(
      replacePrometheusBuiltins(
        'rate(x[$__rate_interval]) [$__interval] [${__interval}] $__range $__range_s $__interval_ms',
        HOUR,
      ),
    ).toBe('rate(x[2m0s]) [30s] [30s] 3600s 3600 30000');
  });

  it('adds the scrape interval to a long panel interval for $__rate_interval', () => {
    const day: QueryWindow = {
      from: 0,
      to: 86_400_000,
      maxDataPoints: 960,
      minInterval: 30_000,
    };
    expect(prometheusStep(day)).toBe(60_000);
    expect(replacePrometheusBuiltins('[$__rate_interval]', day)).toBe('[2m0s]');
    const week: QueryWindow = { ...day, to: 7 * 86_400_000 };
    expect(
      replacePrometheusBuiltins('[$__interval] [$__rate_interval]', week),
    ).toBe('[10m] [10m30s]');
  });

  it('falls back to a 15 s scrape interval when the datasource sets none', () => {
    expect(
      replacePrometheusBuiltins('[$__rate_interval]', {
        from: 0,
        to: 3_600_000,
        maxDataPoints: 960,
      }),
    ).toBe('[1m0s]');
  });
});

describe('Loki built-ins', () => {
  const wide: QueryWindow = { from: 0, to: 3_600_000, maxDataPoints: 1920 };
  it('makes $__auto the step in a range query and the whole range in an instant one', () => {
    expect(lokiStep(wide)).toBe(2_000);
    expect(
      replaceLokiBuiltins('count_over_time({a="b"} [$__auto])', wide, 'range'),
    ).toBe('count_over_time({a="b"} [2s])');
    expect(
      replaceLokiBuiltins(
        'count_over_time({a="b"} [$__auto])',
        wide,
        'instant',
      ),
    ).toBe('count_over_time({a="b"} [3600s])');
  });
});

describe('template variables', () => {
  const all = (allValue?: string): Selection => ({
    all: true,
    values: ['kube-system', 'monitoring'],
    ...(allValue ? { allValue } : {}),
  });
  const vars = (s: Selection) => new Map([['namespace', s]]);

  it('writes All as the allValue, unescaped, in every syntax', () => {
    expect(
      replaceTemplateVariables(
        '{namespace=~"$namespace"} ${namespace} [[namespace]]',
        vars(all('.+')),
        'loki',
      ),
    ).toBe('{namespace=~".+"} .+ .+');
  });

  it('writes All without an allValue, and several values, as an escaped alternation', () => {
    expect(
      replaceTemplateVariables(
        'x{namespace=~"$namespace"}',
        vars(all()),
        'prometheus',
      ),
    ).toBe('x{namespace=~"(kube-system|monitoring)"}');
    expect(
      replaceTemplateVariables(
        '$namespace',
        vars({ all: false, values: ['a.b'] }),
        'prometheus',
      ),
    ).toBe('a\\\\.b');
  });

  it('applies a format, and refuses one it does not know', () => {
    expect(
      replaceTemplateVariables(
        '${namespace:pipe} ${namespace:csv}',
        vars(all()),
        'prometheus',
      ),
    ).toBe('kube-system|monitoring kube-system,monitoring');
    expect(() =>
      replaceTemplateVariables(
        '${namespace:sqlstring}',
        vars(all()),
        'prometheus',
      ),
    ).toThrow(/sqlstring/);
  });

  it("writes a textbox's text as typed, only its quotes escaped, as Grafana's Loki datasource does", () => {
    const filter = (text: string) =>
      new Map([['filter', { all: false, values: [text], single: true }]]);
    expect(
      replaceTemplateVariables('{a="b"} |= `$filter`', filter(''), 'loki'),
    ).toBe('{a="b"} |= ``');
    expect(
      replaceTemplateVariables(
        '{a="b"} |= `$filter`',
        filter("it's (a.b)"),
        'loki',
      ),
    ).toBe('{a="b"} |= `it\\\\\'s (a.b)`');
    expect(() =>
      replaceTemplateVariables('up{x="$filter"}', filter('a'), 'prometheus'),
    ).toThrow(/textbox/);
  });

  it('leaves built-ins and unknown names for later', () => {
    expect(
      replaceTemplateVariables(
        '[$__rate_interval] $other',
        vars(all('.*')),
        'prometheus',
      ),
    ).toBe('[$__rate_interval] $other');
  });

  it("escapes regex metacharacters for the datasource's string", () => {
    expect(regexEscape("a'b(c)", 'prometheus')).toBe("a\\\\'b\\\\(c\\\\)");
    expect(regexEscape("a'b", 'loki')).toBe("a'b");
  });

  it('reads label_values with and without a selector, and nothing else', () => {
    expect(parseLabelValues('label_values(kube_node_info, node)')).toEqual({
      selector: 'kube_node_info',
      label: 'node',
    });
    expect(
      parseLabelValues(
        'label_values({namespace=~"$namespace", pod=~"$pod"}, container)',
      ),
    ).toEqual({
      selector: '{namespace=~"$namespace", pod=~"$pod"}',
      label: 'container',
    });
    expect(parseLabelValues('label_values(namespace)')).toEqual({
      selector: undefined,
      label: 'namespace',
    });
    expect(() => parseLabelValues('query_result(up)')).toThrow(/label_values/);
  });
});
