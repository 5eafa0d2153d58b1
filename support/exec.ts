import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export class HarnessError extends Error {}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** Append all output here instead of keeping it in memory (long builds). */
  logFile?: string;
  /** What to tell the user when the command fails; the command and its last output follow. */
  hint?: string;
}

/**
 * Runs a command to completion and returns both streams (kubectl prints warnings on stderr); throws a HarnessError
 * with its last output when it fails.
 */
export function runFull(
  command: string,
  args: string[],
  options: RunOptions = {},
): { stdout: string; stderr: string } {
  const r = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error)
    throw new HarnessError(
      `${options.hint ?? `${command} could not run`}: ${r.error.message}`,
    );
  if (r.status !== 0) {
    const out = `${r.stdout}${r.stderr}`
      .trim()
      .split('\n')
      .slice(-15)
      .join('\n');
    throw new HarnessError(
      `${options.hint ?? `${command} ${args.join(' ')} failed (exit ${r.status})`}\n${out}`,
    );
  }
  return { stdout: r.stdout, stderr: r.stderr };
}

/** runFull's standard output. */
export function run(
  command: string,
  args: string[],
  options: RunOptions = {},
): string {
  return runFull(command, args, options).stdout;
}

/** Like run, but true/false instead of throwing, for probes. */
export function succeeds(
  command: string,
  args: string[],
  options: RunOptions = {},
): boolean {
  const r = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: 'ignore',
  });
  return r.status === 0;
}

/** Runs a long command with its output in a log file; on failure the error quotes the log's tail. */
export async function runLogged(
  command: string,
  args: string[],
  options: RunOptions & { logFile: string },
): Promise<void> {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  log.write(`\n$ ${command} ${args.join(' ')}\n`);
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (d: Buffer): void => {
    log.write(d);
    tail = (tail + d.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  await new Promise((r) => log.end(r));
  if (code !== 0) {
    throw new HarnessError(
      `${options.hint ?? `${command} ${args.join(' ')} failed (exit ${code})`} (full log: ${options.logFile})\n${tail.trim().split('\n').slice(-15).join('\n')}`,
    );
  }
}

/**
 * Runs a command without blocking the event loop, so a test worker stays responsive while it waits: the exit code
 * (null when a signal ended it) and both output streams, interleaved as they came.
 */
export async function runAsync(
  command: string,
  args: string[],
  options: Pick<RunOptions, 'cwd' | 'env'> = {},
): Promise<{ code: number | null; output: string }> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  child.on('error', (e) => (output += `\n${e.message}`));
  const code = await new Promise<number | null>((resolve) =>
    child.on('close', resolve),
  );
  return { code, output };
}
