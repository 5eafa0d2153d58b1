import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  newOverlay,
  type OverlayOptions,
  overlayOptionsSchema,
  validateStrict,
  writeOverlay,
} from '@plgkit/cli';
import {
  emitPackage,
  type KubeObject,
  OptionsError,
  type PackageOutput,
  readEmitted,
  renderPackage,
} from '@plgkit/core';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { render } from '../../support/render.js';
import { inputFor } from './arbitraries.js';
import { PACKAGES } from './packages.js';

// Fixed seed and bounded runs: the same inputs every CI run; raise numRuns locally to search harder.
const SEED = 20261125;
const RUNS = 40;

const scratch = mkdtempSync(join(tmpdir(), 'plgkit-property-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.each(Object.entries(PACKAGES))(
  '%s generator, given random options',
  (name, output) => {
    it('returns a base that renders and validates strictly, or throws OptionsError; never crashes or writes half', () => {
      const schema = output().optionsSchema;
      const dir = join(scratch, name);
      emitPackage(dir, () => output());
      const rendered = new Map<string, KubeObject>();
      let accepted = 0;
      let rejected = 0;
      fc.assert(
        fc.property(inputFor(schema), (input) => {
          const before = readEmitted(dir);
          let out: PackageOutput;
          try {
            out = output(input as never);
          } catch (e) {
            // Only the documented error, with a path and a message for every issue, and nothing written.
            expect(e).toBeInstanceOf(OptionsError);
            for (const issue of (e as OptionsError).issues)
              expect(issue.path).toMatch(/^(\(root\)|\/)/);
            expect(() =>
              emitPackage(dir, () => output(input as never)),
            ).toThrow(OptionsError);
            expect(readEmitted(dir)).toEqual(before);
            rejected++;
            return;
          }
          accepted++;
          emitPackage(dir, () => out);
          expect(readEmitted(dir)).toEqual(renderPackage(out));
          for (const o of render(join(dir, 'base')))
            rendered.set(JSON.stringify(o), o);
        }),
        { seed: SEED, numRuns: RUNS },
      );
      // Both outcomes were exercised, and every accepted base is valid Kubernetes.
      expect(accepted).toBeGreaterThan(0);
      expect(rejected).toBeGreaterThan(0);
      expect(validateStrict([...rendered.values()])).toEqual([]);
    });
  },
);

describe('plgkit new-overlay, given random options', () => {
  it('writes an overlay that renders and validates strictly, or throws OptionsError and writes nothing', () => {
    let accepted = 0;
    let rejected = 0;
    const rendered = new Map<string, KubeObject>();
    fc.assert(
      fc.property(inputFor(overlayOptionsSchema as object), (input) => {
        const dir = join(scratch, `overlay-${accepted + rejected}`);
        let files: ReturnType<typeof newOverlay>;
        try {
          files = newOverlay(dir, input as OverlayOptions);
        } catch (e) {
          expect(e).toBeInstanceOf(OptionsError);
          for (const issue of (e as OptionsError).issues)
            expect(issue.path).toMatch(/^(\(root\)|\/)/);
          expect(existsSync(dir)).toBe(false);
          rejected++;
          return;
        }
        accepted++;
        writeOverlay(dir, files);
        for (const o of render(dir)) rendered.set(JSON.stringify(o), o);
      }),
      // Each accepted overlay renders the whole stack: fewer runs than a single generator.
      { seed: SEED, numRuns: 16 },
    );
    expect(accepted).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
    expect(validateStrict([...rendered.values()])).toEqual([]);
  });
});
