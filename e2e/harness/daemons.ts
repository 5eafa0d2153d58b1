// Long-running host processes: started detached with their output in a log file, recorded, stopped by PID.
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { HarnessError } from '../../support/exec.js';
import { STATE_DIR } from '../../support/paths.js';
import { type ClusterRecord, type ProcessRecord, saveRecord } from './state.js';

export const LOG_DIR = join(STATE_DIR, 'logs');

export function logFile(name: string): string {
  return join(LOG_DIR, `${name}.log`);
}

/** Fields 3 (state) and 22 (start time) of /proc/PID/stat, counted after the parenthesised command name. */
function stat(pid: number): { state: string; startTime: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, startTime: fields[19]! };
  } catch {
    return undefined;
  }
}

/** True while the recorded process is still the one we started, and not a zombie waiting to be reaped. */
export function isAlive(p: ProcessRecord): boolean {
  const s = stat(p.pid);
  return s !== undefined && s.startTime === p.startTime && s.state !== 'Z';
}

export function startDaemon(
  record: ClusterRecord,
  name: string,
  exe: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): ProcessRecord {
  mkdirSync(LOG_DIR, { recursive: true });
  const out = openSync(logFile(name), 'a');
  const child = spawn(exe, args, {
    detached: true,
    stdio: ['ignore', out, out],
    env,
  });
  if (child.pid === undefined)
    throw new HarnessError(`${name} (${exe}) could not start`);
  child.unref();
  const started = stat(child.pid)?.startTime;
  if (started === undefined)
    throw new HarnessError(
      `${name} exited at once; see ${logFile(name)}:\n${tail(name)}`,
    );
  const p: ProcessRecord = {
    name,
    pid: child.pid,
    startTime: started,
    exe,
    args,
    ...(env.PATH !== process.env.PATH ? { path: env.PATH } : {}),
  };
  record.processes.push(p);
  saveRecord(record);
  return p;
}

export function tail(name: string, lines = 15): string {
  const f = logFile(name);
  if (!existsSync(f)) return '(no log)';
  return readFileSync(f, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** SIGTERM, then SIGKILL after `graceSeconds`; only if the PID is still the process we started. */
export async function stopDaemon(
  p: ProcessRecord,
  graceSeconds = 10,
): Promise<void> {
  if (!isAlive(p)) return;
  const exe = (() => {
    try {
      return readlinkSync(`/proc/${p.pid}/exe`);
    } catch {
      return '';
    }
  })();
  if (exe && !exe.startsWith(p.exe) && !exe.endsWith('(deleted)')) return;
  process.kill(p.pid, 'SIGTERM');
  const deadline = Date.now() + graceSeconds * 1000;
  while (isAlive(p) && Date.now() < deadline) await sleep(100);
  if (isAlive(p)) process.kill(p.pid, 'SIGKILL');
  while (isAlive(p)) await sleep(50);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Polls `ready` until it holds; fails with the daemon's log tail, at once if a process it depends on exited.
 * Never a fixed sleep.
 */
export async function waitUntil(
  what: string,
  seconds: number,
  ready: () => boolean | Promise<boolean>,
  explain: () => string,
  needs: readonly ProcessRecord[] = [],
): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      if (await ready()) return;
    } catch {
      // not yet
    }
    const dead = needs.find((p) => !isAlive(p));
    if (dead)
      throw new HarnessError(
        `${dead.name} exited while waiting for ${what}; last lines of ${logFile(dead.name)}:\n${tail(dead.name)}`,
      );
    if (Date.now() > deadline)
      throw new HarnessError(
        `${what} was not ready within ${seconds} s:\n${explain()}`,
      );
    await sleep(500);
  }
}
