import { describe, expect, it } from 'vitest';
import {
  byteSize,
  dns1123Label,
  duration,
  durationSeconds,
  parseQuantity,
  quantity,
  toBytes,
} from '../src/index.js';

describe('formats', () => {
  it.each(['512Mi', '2Gi', '250m', '1', '0.5', '1e3', '100M'])(
    'accepts the quantity %s',
    (v) => expect(quantity.pattern.test(v)).toBe(true),
  );
  it.each(['7GB', '-1Gi', 'Gi', '1 Gi', '', '1.Gi'])(
    'rejects the quantity %j',
    (v) => expect(quantity.pattern.test(v)).toBe(false),
  );
  it.each([
    ['7GB', '7Gi'],
    ['512mb', '512Mi'],
    ['1.5G', '1.5Gi'],
    ['4k', '4Ki'],
  ])('hints %s → %s', (v, hint) => expect(quantity.hint?.(v)).toBe(hint));

  it.each(['7d', '12h', '90m', '1w2d', '30s', '100ms', '1y'])(
    'accepts the duration %s',
    (v) => expect(duration.pattern.test(v)).toBe(true),
  );
  it.each(['-1d', '', '7', '1h1d', '7 days', 'd'])(
    'rejects the duration %j',
    (v) => expect(duration.pattern.test(v)).toBe(false),
  );
  it('hints "7 days" → "7d"', () =>
    expect(duration.hint?.('7 days')).toBe('7d'));

  it.each(['monitoring', 'a', 'obs-1', 'x'.repeat(63)])(
    'accepts the label %s',
    (v) => expect(dns1123Label.pattern.test(v)).toBe(true),
  );
  it.each(['Monitoring', '-a', 'a-', 'a_b', 'x'.repeat(64), ''])(
    'rejects the label %j',
    (v) => expect(dns1123Label.pattern.test(v)).toBe(false),
  );

  it.each(['4GB', '512MB', '1B'])('accepts the byte size %s', (v) =>
    expect(byteSize.pattern.test(v)).toBe(true),
  );
  it.each(['4Gi', '4gb', '4'])('rejects the byte size %s', (v) =>
    expect(byteSize.pattern.test(v)).toBe(false),
  );
  it('hints "4Gi" → "4GB"', () => expect(byteSize.hint?.('4Gi')).toBe('4GB'));

  it('parses quantities and sizes', () => {
    expect(parseQuantity('250m')).toBe(0.25);
    expect(parseQuantity('1Gi')).toBe(2 ** 30);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(() => parseQuantity('7GB')).toThrow(/not a Kubernetes quantity/);
    expect(toBytes('4GB')).toBe(4e9);
    expect(toBytes('5Gi')).toBe(5 * 2 ** 30);
  });

  it('parses durations, every unit, largest first', () => {
    expect(durationSeconds('1d12h')).toBe(129600);
    expect(durationSeconds('1y1w')).toBe(372 * 86400);
    expect(durationSeconds('90m')).toBe(5400);
    expect(durationSeconds('1s500ms')).toBe(1.5);
    expect(durationSeconds('0d')).toBe(0);
    expect(() => durationSeconds('7 days')).toThrow(/not a duration/);
  });
});
