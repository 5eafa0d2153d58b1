import { describe, expect, it } from 'vitest';
import { goProblem } from '../../support/required-tools.js';

describe("pnpm test's required tools", () => {
  it('takes Go 1.26 and newer', () => {
    expect(goProblem('go version go1.26.8 linux/amd64')).toBeUndefined();
    expect(goProblem('go version go1.27rc1 linux/arm64')).toBeUndefined();
    expect(goProblem('go version go2.0 linux/amd64')).toBeUndefined();
  });

  it('names what is missing or too old in one line, with what to install and why', () => {
    expect(goProblem(null)).toBe(
      'go: not found on PATH; install Go 1.26 or newer (the tests build promtool, Prometheus and Alloy from the Go module proxy)',
    );
    expect(goProblem('go version go1.25.3 linux/amd64')).toBe(
      'go: 1.25 is too old; install Go 1.26 or newer (the tests build promtool, Prometheus and Alloy from the Go module proxy)',
    );
    expect(goProblem('gccgo (Debian 12.2.0) 12.2.0')).toBe(
      'go: cannot read its version from "gccgo (Debian 12.2.0) 12.2.0"',
    );
  });
});
