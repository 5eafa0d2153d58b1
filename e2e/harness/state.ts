// The record of everything `up` made. `down` is driven by it, so it can undo a half-made or crashed cluster.
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { STATE_DIR } from '../../support/paths.js';
import type { NodeRuntime } from './topology.js';

export interface ProcessRecord {
  readonly name: string;
  readonly pid: number;
  /** /proc/PID/stat's start time, so a reused PID is never mistaken for ours. */
  readonly startTime: string;
  readonly exe: string;
  /** How it was started, so `start` can start it again after `stop`. */
  readonly args?: readonly string[];
  /** Its PATH, where it differs from the harness's own (containerd finds its shim on it). */
  readonly path?: string;
}

export interface ClusterRecord {
  nodeIp?: string;
  /** The node's container runtime; absent in records from before docker nodes, which were containerd. */
  runtime?: NodeRuntime;
  /** The containerd client that matches the node's daemon (`ctr` on the PATH in older records). */
  ctr?: string;
  processes: ProcessRecord[];
  /** sysctl path → the value before `up` changed it. */
  sysctls: Record<string, string>;
  /** The mount points that were shared before `up` made `/` rshared; `down` makes the rest private again. */
  sharedMounts?: string[];
  /** iptables chains (table/chain) that existed before `up`, so `down` keeps them. */
  chainsBefore?: string[];
  /** Network namespaces under /run/netns that existed before `up`. */
  netnsBefore?: string[];
  /** Host paths `up` (or the pods it ran) created, removed by `down`. */
  createdPaths: string[];
}

/** Inside STATE_DIR, which `down` removes last, so a `down` cut short can be run again from the same record. */
export const RECORD_FILE = join(STATE_DIR, 'record.json');

export function readRecord(): ClusterRecord | undefined {
  if (!existsSync(RECORD_FILE)) return undefined;
  return JSON.parse(readFileSync(RECORD_FILE, 'utf8')) as ClusterRecord;
}

export function emptyRecord(): ClusterRecord {
  return { processes: [], sysctls: {}, createdPaths: [] };
}

/** Written after every change, atomically, so a crash leaves a record that matches the machine. */
export function saveRecord(record: ClusterRecord): void {
  mkdirSync(dirname(RECORD_FILE), { recursive: true });
  writeFileSync(`${RECORD_FILE}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(`${RECORD_FILE}.tmp`, RECORD_FILE);
}
