import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseObjects } from '../src/render.js';
import {
  schemaProblems,
  unknownFieldProblems,
  validateStrict,
} from '../src/strict.js';

const fixture = (name: string) =>
  parseObjects(
    readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'),
  );

describe('strict validation', () => {
  it('rejects an unknown field (volumeMount for volumeMounts) that the OpenAPI schema alone lets through', () => {
    const objects = fixture('volume-mount-typo.yaml');
    expect(schemaProblems(objects)).toEqual([]);
    expect(unknownFieldProblems(objects)).toEqual([
      {
        object: 'Deployment monitoring/typo',
        message:
          'unknown field "volumeMount" in Container at spec.template.spec.containers[0], which the API server would drop; did you mean "volumeMounts"?',
        culprit: { kind: 'Deployment', name: 'typo', key: 'volumeMount' },
      },
    ]);
    expect(validateStrict(objects)).toHaveLength(1);
  });

  it('rejects wrong types through the OpenAPI schema', () => {
    expect(schemaProblems(fixture('wrong-types.yaml'))).toEqual([
      {
        object: 'Service wrong',
        message: expect.stringMatching(/port must be integer/),
      },
    ]);
  });

  it('rejects kinds it has no schema for instead of waving them through', () => {
    expect(
      schemaProblems([
        {
          apiVersion: 'example.com/v1',
          kind: 'Widget',
          metadata: { name: 'w' },
        },
      ]),
    ).toEqual([
      { object: 'Widget w', message: 'no schema for example.com/v1 Widget' },
    ]);
  });

  it('accepts a well-formed object', () => {
    const objects = fixture('volume-mount-typo.yaml');
    const container = (objects[0] as any).spec.template.spec.containers[0];
    container.volumeMounts = container.volumeMount;
    delete container.volumeMount;
    expect(validateStrict(objects)).toEqual([]);
  });
});
