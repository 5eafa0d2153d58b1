// Builds upstream programs from the Go module proxy at exact versions, through a small wrapper module that carries
// the target's replace and exclude lines (`go install` refuses modules that have them). Static, as upstream ships.
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { HarnessError, run, runFull, runLogged } from './exec.js';
import { BIN_CACHE, BIN_OVERRIDE, GO_CACHE, LOG_CACHE } from './paths.js';

export interface GoProgram {
  /** The file name in the cache and in the image. */
  readonly binary: string;
  /** The main package, or '.' for the wrapper's own main.go. */
  readonly pkg: string;
  /** How the built program prints its version, and what that must contain: proof it is the version asked for. */
  readonly versionArgs: readonly string[];
  readonly expectVersion: string;
}

export interface GoRecipe {
  readonly id: string;
  readonly module: string;
  readonly version: string;
  readonly programs: readonly GoProgram[];
  readonly ldflags: readonly string[];
  /** What to do with a replace that points into the module's own tree (absent from its zip): a version, or drop it. */
  readonly localReplace?: (path: string) => string | 'drop';
  /** Append the module's own go.sum: the checksum database here has no entry for some of its dependencies. */
  readonly appendGoSum?: boolean;
  /** go.sum lines for modules the checksum database has no entry for, recorded on first download. */
  readonly pinnedSums?: readonly string[];
  /** A wrapper main.go, for modules whose entry point is not in the served module. */
  readonly mainSource?: string;
  readonly extraRequires?: readonly string[];
  /**
   * Files upstream's release build generates that the module zip lacks (a path in the module → its content): the
   * module is then built from a copy with them added, through a directory `replace`.
   */
  readonly generatedFiles?: Readonly<Record<string, string>>;
}

interface DownloadInfo {
  GoMod?: string;
  Dir?: string;
  Error?: string;
}

interface GoModJson {
  Go?: string;
  Replace?: Array<{
    Old: { Path: string; Version?: string };
    New: { Path: string; Version?: string };
  }>;
  Exclude?: Array<{ Path: string; Version: string }>;
}

function goEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOMODCACHE: join(GO_CACHE, 'mod'),
    GOCACHE: join(GO_CACHE, 'build'),
    GOPATH: join(GO_CACHE, 'path'),
    // The installed toolchain builds every pinned module; never try to download another one.
    GOTOOLCHAIN: 'local',
    CGO_ENABLED: '0',
    GOFLAGS: '-mod=mod',
  };
}

export function binaryDir(recipe: GoRecipe): string {
  return join(BIN_CACHE, `${recipe.id}-${recipe.version}`);
}

/** Whether the process that wrote a lock file still runs. */
function lockHolderAlive(lock: string): boolean {
  try {
    process.kill(Number(readFileSync(lock, 'utf8')), 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where each program of the recipe is, building what is not cached yet. One build per recipe at a time: a second
 * caller (`pnpm test` and `pnpm e2e` side by side) waits for the first one's binaries instead of sharing its work
 * directory; a lock left by a dead process is taken over.
 */
export async function goBuild(
  recipe: GoRecipe,
): Promise<Record<string, string>> {
  if (BIN_OVERRIDE) return fromOverride(recipe);
  const dir = binaryDir(recipe);
  const lock = `${dir}.lock`;
  mkdirSync(BIN_CACHE, { recursive: true });
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      if (!lockHolderAlive(lock)) rmSync(lock, { force: true });
      else await new Promise((r) => setTimeout(r, 5000));
    }
  }
  try {
    return await buildUnlocked(recipe, dir);
  } finally {
    rmSync(lock, { force: true });
  }
}

async function buildUnlocked(
  recipe: GoRecipe,
  dir: string,
): Promise<Record<string, string>> {
  const paths = Object.fromEntries(
    recipe.programs.map((p) => [p.binary, join(dir, p.binary)]),
  );
  const missing = recipe.programs.filter((p) => !existsSync(paths[p.binary]!));
  if (missing.length === 0) return paths;

  mkdirSync(LOG_CACHE, { recursive: true });
  const logFile = join(LOG_CACHE, `${recipe.id}-${recipe.version}.log`);
  writeFileSync(logFile, '');
  const work = join(GO_CACHE, 'work', `${recipe.id}-${recipe.version}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const env = goEnv();
  const go = (args: string[], hint?: string): string =>
    run('go', args, { cwd: work, env, hint });

  go(['mod', 'init', `plgkit-e2e/${recipe.id}`]);
  if (recipe.pinnedSums)
    writeFileSync(join(work, 'go.sum'), `${recipe.pinnedSums.join('\n')}\n`);
  const info = download(recipe.module, recipe.version, work, env);
  const mod = JSON.parse(
    go(['mod', 'edit', '-json', info.GoMod!]),
  ) as GoModJson;

  const edits = [
    `-require=${recipe.module}@${recipe.version}`,
    ...(recipe.extraRequires ?? []).map((r) => `-require=${r}`),
  ];
  if (mod.Go) edits.push(`-go=${mod.Go}`);
  for (const r of mod.Replace ?? []) {
    const old = r.Old.Version ? `${r.Old.Path}@${r.Old.Version}` : r.Old.Path;
    if (r.New.Path.startsWith('.')) {
      const to = recipe.localReplace?.(r.Old.Path) ?? 'drop';
      if (to !== 'drop') edits.push(`-replace=${old}=${r.Old.Path}@${to}`);
    } else {
      edits.push(
        `-replace=${old}=${r.New.Version ? `${r.New.Path}@${r.New.Version}` : r.New.Path}`,
      );
    }
  }
  for (const x of mod.Exclude ?? [])
    edits.push(`-exclude=${x.Path}@${x.Version}`);
  if (recipe.generatedFiles) {
    // The module cache is read-only: copy it, make the copy writable, add the files.
    const src = join(work, 'upstream');
    run('cp', ['-R', info.Dir!, src]);
    run('chmod', ['-R', 'u+w', src]);
    for (const [path, content] of Object.entries(recipe.generatedFiles)) {
      mkdirSync(dirname(join(src, path)), { recursive: true });
      writeFileSync(join(src, path), content);
    }
    edits.push(`-replace=${recipe.module}=./upstream`);
  }
  go(['mod', 'edit', ...edits]);
  if (recipe.appendGoSum && info.Dir && existsSync(join(info.Dir, 'go.sum'))) {
    appendFileSync(
      join(work, 'go.sum'),
      readFileSync(join(info.Dir, 'go.sum')),
    );
  }
  if (recipe.mainSource)
    writeFileSync(join(work, 'main.go'), recipe.mainSource);

  const getHint = `go could not resolve ${recipe.module}@${recipe.version}'s dependencies from the module proxy`;
  if (recipe.mainSource)
    await runLogged('go', ['mod', 'tidy', '-e'], {
      cwd: work,
      env,
      logFile,
      hint: getHint,
    });
  const pkgs = missing.map((p) => p.pkg).filter((p) => p !== '.');
  if (pkgs.length > 0)
    await runLogged(
      'go',
      ['get', ...pkgs.map((p) => `${p}@${recipe.version}`)],
      { cwd: work, env, logFile, hint: getHint },
    );

  mkdirSync(dir, { recursive: true });
  const ldflags = ['-s', '-w', ...recipe.ldflags].join(' ');
  for (const p of missing) {
    // Each binary is built beside its final name and renamed once its version checks out.
    const partial = join(dir, `.${p.binary}.partial`);
    await runLogged(
      'go',
      ['build', '-trimpath', '-ldflags', ldflags, '-o', partial, p.pkg],
      {
        cwd: work,
        env,
        logFile,
        hint: `building ${p.binary} from ${recipe.module}@${recipe.version} failed`,
      },
    );
    chmodSync(partial, 0o755);
    checkVersion(partial, p);
    renameSync(partial, paths[p.binary]!);
  }
  rmSync(work, { recursive: true, force: true });
  return paths;
}

function download(
  module: string,
  version: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): DownloadInfo {
  let info: DownloadInfo;
  try {
    info = JSON.parse(
      run('go', ['mod', 'download', '-json', `${module}@${version}`], {
        cwd,
        env,
      }),
    ) as DownloadInfo;
  } catch (e) {
    // `go mod download -json` exits 1 but still prints the JSON with its Error.
    const text = (e as Error).message;
    const m = /"Error":\s*"([^"]*)"/.exec(text);
    info = { Error: m?.[1] ?? text };
  }
  if (info.Error || !info.GoMod) {
    const refused =
      /403|not available|404|unknown revision|invalid version/i.test(
        info.Error ?? '',
      );
    throw new HarnessError(
      refused
        ? `the Go module proxy refuses ${module}@${version}: ${info.Error}\n  fix: pin an exact release tag that the proxy serves (it answers exact tags only; @latest and version lists are refused here)`
        : `could not download ${module}@${version}: ${info.Error}`,
    );
  }
  return info;
}

/** The version a program prints, on either stream (kube-router writes it to stderr). */
function checkVersion(binary: string, p: GoProgram): void {
  const { stdout, stderr } = runFull(binary, [...p.versionArgs], {
    hint: `${binary} ${p.versionArgs.join(' ')} failed`,
  });
  const out = `${stdout}${stderr}`;
  if (!out.includes(p.expectVersion)) {
    throw new HarnessError(
      `${p.binary} was built but reports another version than ${p.expectVersion}:\n${out.slice(0, 400)}`,
    );
  }
}

function fromOverride(recipe: GoRecipe): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const p of recipe.programs) {
    const path = join(BIN_OVERRIDE!, p.binary);
    if (!existsSync(path)) {
      throw new HarnessError(
        `PLGKIT_E2E_BIN=${BIN_OVERRIDE} has no ${p.binary}: put ${recipe.module} ${recipe.version}'s ${p.binary} there, or unset PLGKIT_E2E_BIN to build it`,
      );
    }
    checkVersion(path, p);
    paths[p.binary] = path;
  }
  return paths;
}
