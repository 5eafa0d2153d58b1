// Grafana's interval arithmetic, as its backend does it. Durations are milliseconds.

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

/**
 * A "nice" interval no longer than the one asked for: grafana-plugin-sdk-go `gtime.RoundInterval`
 * (https://github.com/grafana/grafana-plugin-sdk-go/blob/main/backend/gtime/gtime.go), the table Grafana's
 * Prometheus and Loki backends round `(to - from) / maxDataPoints` with.
 */
export function roundInterval(ms: number): number {
  const table: Array<[upTo: number, rounded: number]> = [
    [10, 1],
    [15, 10],
    [35, 20],
    [75, 50],
    [150, 100],
    [350, 200],
    [750, 500],
    [1500, S],
    [3500, 2 * S],
    [7500, 5 * S],
    [12_500, 10 * S],
    [17_500, 15 * S],
    [25_000, 20 * S],
    [45_000, 30 * S],
    [90_000, M],
    [210_000, 2 * M],
    [450_000, 5 * M],
    [750_000, 10 * M],
    [1_050_000, 15 * M],
    [1_500_000, 20 * M],
    [2_700_000, 30 * M],
    [5_400_000, H],
    [9_000_000, 2 * H],
    [16_200_000, 3 * H],
    [32_400_000, 6 * H],
    [86_400_000, 12 * H],
    [172_800_000, D],
    [604_800_000, D],
    [1_814_400_000, 7 * D],
  ];
  for (const [upTo, rounded] of table) if (ms <= upTo) return rounded;
  return ms < 3_628_800_000 ? 30 * D : 365 * D;
}

/** `gtime.FormatInterval`: the largest whole unit, as `$__interval` is written (`30s`, `2m`, `1h`). */
export function formatInterval(ms: number): string {
  const units: Array<[string, number]> = [
    ['y', 365 * D],
    ['d', D],
    ['h', H],
    ['m', M],
    ['s', S],
    ['ms', 1],
  ];
  for (const [unit, size] of units)
    if (ms >= size) return `${Math.floor(ms / size)}${unit}`;
  return '1ms';
}

/** Go's `time.Duration.String()`, as Grafana writes `$__rate_interval` (`2m0s`, `1m30s`, `500ms`). */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < S) return `${ms}ms`;
  const h = Math.floor(ms / H);
  const m = Math.floor((ms % H) / M);
  const s = (ms % M) / S;
  return `${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${s}s`;
}

/** A Grafana duration: `30s`, `5m`, `1h`, `7d`, or a bare number of seconds. */
export function parseDuration(text: string): number {
  if (/^\d+$/.test(text)) return Number(text) * S;
  const sizes: Record<string, number> = {
    ms: 1,
    s: S,
    m: M,
    h: H,
    d: D,
    w: 7 * D,
    y: 365 * D,
  };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text)
    throw new Error(`not a duration: ${JSON.stringify(text)}`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * sizes[p[2]!]!, 0);
}

/** A relative time as dashboards write it (`now`, `now-1h`) at `now` (ms since the epoch). */
export function relativeTime(text: string, now: number): number {
  if (text === 'now') return now;
  const m = /^now-(.+)$/.exec(text);
  if (!m)
    throw new Error(
      `unsupported dashboard time ${JSON.stringify(text)}: only now and now-<duration>`,
    );
  return now - parseDuration(m[1]!);
}
