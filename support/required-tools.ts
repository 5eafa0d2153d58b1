// `pnpm test`'s global setup: the tools the tests run, checked once. A machine without one gets one line per missing
// tool and no test run, rather than a failure in every test that needs it.
import { spawnSync } from 'node:child_process';
import { checkKubectl, EXIT } from '@plgkit/cli';

/** The oldest Go that builds every pinned module (Prometheus 3.13, Alloy 1.19) with `GOTOOLCHAIN=local`. */
export const GO_MINIMUM = { major: 1, minor: 26 } as const;

/** What is wrong with the Go that printed `versionLine` (null: no go on PATH); undefined when it fits. */
export function goProblem(versionLine: string | null): string | undefined {
  const wanted = `Go ${GO_MINIMUM.major}.${GO_MINIMUM.minor} or newer`;
  const why =
    'the tests build promtool, Prometheus and Alloy from the Go module proxy';
  if (versionLine === null)
    return `go: not found on PATH; install ${wanted} (${why})`;
  const m = /\bgo(\d+)\.(\d+)/.exec(versionLine);
  if (!m) return `go: cannot read its version from "${versionLine}"`;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  if (
    major < GO_MINIMUM.major ||
    (major === GO_MINIMUM.major && minor < GO_MINIMUM.minor)
  )
    return `go: ${major}.${minor} is too old; install ${wanted} (${why})`;
  return undefined;
}

function goVersion(): string | null {
  const r = spawnSync('go', ['version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Every missing or unfit tool, one line each. */
export function missingTools(): string[] {
  const kubectl = checkKubectl()
    .filter((t) => !t.ok)
    .map((t) => `${t.tool}: ${t.detail}; ${t.hint ?? ''}`.replace(/; $/, ''));
  const go = goProblem(goVersion());
  return [...kubectl, ...(go ? [go] : [])];
}

export default function setup(): void {
  const missing = missingTools();
  if (missing.length === 0) return;
  // The lines alone, before vitest collects anything: its report would bury them.
  for (const line of missing) console.error(`pnpm test needs ${line}`);
  // The CLI's code for a missing tool.
  process.exit(EXIT.missingTool);
}
