import { goDuration, LOG_DELIVERY, STACK } from '@plgkit/core';
import {
  type ResolvedLokiOptions,
  WAL_REPLAY_CEILING_BYTES,
} from './options.js';

// loki.yaml for the single binary (`-target=all`), typed with upstream spelling.
// https://grafana.com/docs/loki/latest/configure/

export interface LokiConfig {
  auth_enabled: boolean;
  shutdown_delay: string;
  server: {
    http_listen_port: number;
    grpc_listen_port: number;
    log_level: string;
  };
  common: {
    instance_addr: string;
    path_prefix: string;
    replication_factor: number;
    ring: { kvstore: { store: 'inmemory' } };
    storage: {
      filesystem: { chunks_directory: string; rules_directory: string };
    };
  };
  schema_config: {
    configs: {
      from: string;
      store: 'tsdb';
      object_store: 'filesystem';
      schema: 'v13';
      index: { prefix: string; period: string };
    }[];
  };
  compactor: {
    working_directory: string;
    retention_enabled: boolean;
    delete_request_store: 'filesystem';
  };
  ingester: { wal: { replay_memory_ceiling: string } };
  limits_config: {
    retention_period: string;
    ingestion_rate_mb: number;
    ingestion_burst_size_mb: number;
    reject_old_samples: boolean;
    reject_old_samples_max_age: string;
    max_global_streams_per_user: number;
    allow_structured_metadata: boolean;
    volume_enabled: boolean;
  };
  query_range: {
    results_cache: {
      cache: { embedded_cache: { enabled: boolean; max_size_mb: number } };
    };
  };
  analytics: { reporting_enabled: boolean };
}

export const CONFIG_DIR = '/etc/loki';
export const CONFIG_FILE = 'loki.yaml';
export const DATA_DIR = '/loki';
export const HTTP_PORT = STACK.loki.ports.http;
export const GRPC_PORT = STACK.loki.ports.grpc;

/**
 * `ingester.wal.replay_memory_ceiling`: a quarter of the default memory limit (384Mi), the same whatever the size,
 * so a larger overlay changes only its resources. Loki's default is 4GB: after a crash, replaying a large WAL would
 * pass any small limit and OOM-loop. Above the ceiling the replay flushes chunks to the volume and goes on, so a low
 * ceiling costs only time. The options refuse a memory limit under twice it.
 * https://grafana.com/docs/loki/latest/operations/storage/wal/
 */
export const WAL_REPLAY_CEILING = `${WAL_REPLAY_CEILING_BYTES / 1e6}MB`;

export function lokiConfig(o: ResolvedLokiOptions): LokiConfig {
  return {
    auth_enabled: false,
    // Pushes still land for a while after SIGTERM: see core's log-delivery.ts.
    shutdown_delay: goDuration(LOG_DELIVERY.lokiShutdownDelaySeconds),
    server: {
      http_listen_port: HTTP_PORT,
      grpc_listen_port: GRPC_PORT,
      log_level: 'info',
    },
    common: {
      // One process, one replica: the ring lives in memory and needs no peer discovery.
      instance_addr: '127.0.0.1',
      path_prefix: DATA_DIR,
      replication_factor: 1,
      ring: { kvstore: { store: 'inmemory' } },
      storage: {
        filesystem: {
          chunks_directory: `${DATA_DIR}/chunks`,
          rules_directory: `${DATA_DIR}/rules`,
        },
      },
    },
    schema_config: {
      // A fixed start date: changing it would orphan stored data.
      configs: [
        {
          from: '2024-04-01',
          store: 'tsdb',
          object_store: 'filesystem',
          schema: 'v13',
          index: { prefix: 'index_', period: '24h' },
        },
      ],
    },
    compactor: {
      working_directory: `${DATA_DIR}/compactor`,
      retention_enabled: true,
      delete_request_store: 'filesystem',
    },
    ingester: { wal: { replay_memory_ceiling: WAL_REPLAY_CEILING } },
    limits_config: {
      retention_period: o.retention,
      ingestion_rate_mb: o.limits.ingestionRateMb,
      ingestion_burst_size_mb: o.limits.ingestionBurstSizeMb,
      reject_old_samples: true,
      reject_old_samples_max_age: o.limits.rejectOldSamplesMaxAge,
      max_global_streams_per_user: o.limits.maxStreams,
      allow_structured_metadata: true,
      volume_enabled: true,
    },
    // The default 100 MB results cache is a quarter of the minikube memory limit; 32 MB is plenty for one user.
    query_range: {
      results_cache: {
        cache: { embedded_cache: { enabled: true, max_size_mb: 32 } },
      },
    },
    analytics: { reporting_enabled: false },
  };
}
