import { describe, expect, it } from 'vitest';
import { lokiBase, lokiConfig, resolveLokiOptions } from '../src/index.js';

const find = (kind: string, base = lokiBase()) =>
  base.resources.find((o) => o.kind === kind) as any;
const config = (options = {}) => lokiConfig(resolveLokiOptions(options));

describe('lokiBase', () => {
  it('runs the single binary on tsdb v13 with filesystem storage on the volume', () => {
    const c = config();
    expect(c.auth_enabled).toBe(false);
    expect(c.common).toMatchObject({
      path_prefix: '/loki',
      replication_factor: 1,
      ring: { kvstore: { store: 'inmemory' } },
    });
    expect(c.schema_config.configs).toEqual([
      expect.objectContaining({
        store: 'tsdb',
        schema: 'v13',
        object_store: 'filesystem',
      }),
    ]);
    expect(
      find('StatefulSet').spec.template.spec.containers[0].volumeMounts,
    ).toContainEqual({ name: 'data', mountPath: '/loki' });
    expect(
      find('StatefulSet').spec.volumeClaimTemplates[0].spec.accessModes,
    ).toEqual(['ReadWriteOnce']);
  });

  it('deletes logs past the retention through the compactor', () => {
    expect(config().compactor.retention_enabled).toBe(true);
    expect(config().limits_config.retention_period).toBe('7d');
    expect(config({ retention: '30d' }).limits_config.retention_period).toBe(
      '30d',
    );
  });

  it('takes limits sized for a small cluster as options', () => {
    expect(config({ limits: { maxStreams: 100 } }).limits_config).toMatchObject(
      {
        ingestion_rate_mb: 4,
        ingestion_burst_size_mb: 8,
        reject_old_samples: true,
        reject_old_samples_max_age: '168h',
        max_global_streams_per_user: 100,
      },
    );
  });

  it('serves loki:3100 (http) and 9095 (grpc), ready on /ready, as a non-root user', () => {
    expect(
      find('Service').spec.ports.map((p: any) => [p.name, p.port]),
    ).toEqual([
      ['http', 3100],
      ['grpc', 9095],
    ]);
    const pod = find('StatefulSet').spec.template.spec;
    expect(pod.containers[0].readinessProbe.httpGet).toEqual({
      path: '/ready',
      port: 'http',
    });
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 10001,
    });
  });

  it('bounds the WAL replay well inside the memory limit, and sets GOMEMLIMIT from the limit', () => {
    expect(config().ingester.wal.replay_memory_ceiling).toBe('100MB');
    expect(find('StatefulSet').spec.template.spec.containers[0].env).toEqual([
      {
        name: 'GOMEMLIMIT',
        valueFrom: { resourceFieldRef: { resource: 'limits.memory' } },
      },
    ]);
    expect(() =>
      lokiBase({ resources: { limits: { memory: '128Mi' } } }),
    ).toThrow(
      /\/resources\/limits\/memory: got 128Mi, expected at least 191Mi: twice the WAL replay ceiling/,
    );
  });

  it('refuses a retention under 1d: Loki keeps whole days, and 0 would keep logs forever', () => {
    for (const retention of ['0d', '0s', '23h59m'])
      expect(() => lokiBase({ retention })).toThrow(
        `/retention: got ${retention}, expected at least 1d: Loki keeps whole days (its per-stream retention must be >= 24h), and 0 would keep logs forever, e.g. "7d"`,
      );
    expect(lokiBase({ retention: '1d' }).namespace).toBe('monitoring');
  });

  it('rejects a burst below the rate, and bad types, together', () => {
    expect(() =>
      lokiBase({ limits: { ingestionRateMb: 10, ingestionBurstSizeMb: 5 } }),
    ).toThrow(
      /\/limits\/ingestionBurstSizeMb: got 5, expected at least ingestionRateMb \(10\), e\.g\. 20/,
    );
    expect(() =>
      lokiBase({ retention: 'forever', limits: { maxStreams: 0 } } as never),
    ).toThrow(
      /\/retention: got "forever".*\n.*\/limits\/maxStreams: got 0, expected a number >= 1, e\.g\. 5000/,
    );
  });
});
