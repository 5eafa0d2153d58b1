import { describe, expect, it } from 'vitest';
import {
  goDuration,
  LOG_DELIVERY,
  NODE_STOP_GRACE_SECONDS,
  retryWindowSeconds,
} from '../src/log-delivery.js';

describe('LOG_DELIVERY', () => {
  it('retries one batch for at least 10 minutes before dropping it', () => {
    expect(retryWindowSeconds(LOG_DELIVERY)).toBe(603.5);
    expect(retryWindowSeconds(LOG_DELIVERY)).toBeGreaterThanOrEqual(600);
  });

  it("counts dskit's delays: floors doubling until the ceiling is reached, the last delay not slept", () => {
    const d = { ...LOG_DELIVERY, minBackoffSeconds: 1, maxBackoffSeconds: 4 };
    // Ranges [1,2], [2,4], then [2,4] for good: floors 1, 2, 2, …
    expect(retryWindowSeconds({ ...d, maxRetries: 1 })).toBe(0);
    expect(retryWindowSeconds({ ...d, maxRetries: 4 })).toBe(1 + 2 + 2);
  });

  it('lets a stopping collector sleep its longest delay and push twice more before its drain ends', () => {
    const d = LOG_DELIVERY;
    expect(d.drainSeconds).toBeGreaterThanOrEqual(2 * d.maxBackoffSeconds + 2);
    expect(d.terminationGracePeriodSeconds).toBeGreaterThan(d.drainSeconds);
  });

  it('keeps Loki taking pushes after its SIGTERM, and leaves it time to stop before a stopping node kills it', () => {
    const d = LOG_DELIVERY;
    // A collector's push of what it holds, retried once after the shortest delay.
    expect(d.lokiShutdownDelaySeconds).toBeGreaterThanOrEqual(
      2 * d.minBackoffSeconds + 1,
    );
    // Loki's own stop (about 1 s here) and a margin.
    expect(d.lokiShutdownDelaySeconds + 3).toBeLessThanOrEqual(
      NODE_STOP_GRACE_SECONDS,
    );
  });
});

describe('goDuration', () => {
  it('writes whole seconds in s and fractions in ms', () => {
    expect(goDuration(30)).toBe('30s');
    expect(goDuration(0.5)).toBe('500ms');
    expect(() => goDuration(0)).toThrow(/not a positive duration/);
  });
});
