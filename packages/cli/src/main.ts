// The `plgkit` command line. Exit codes: 0 done; 1 the overlay does not render or validate, a dashboard query has
// no data, a node's runtime does not fit the overlay, or a check fails; 2 a bad command line or option, or a directory that would
// be overwritten; 3 a tool plgkit needs is missing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type FileTree, OptionsError } from '@plgkit/core';
import {
  CHECKS,
  type CheckResult,
  formatResults,
  readyAt,
} from './check/model.js';
import { runChecks } from './check/run.js';
import { metricsWarmUpSeconds } from './check/warm-up.js';
import {
  checkNodeRuntime,
  doctor,
  overlayPipeline,
  type Pipeline,
  readNodeRuntimes,
  type ToolCheck,
} from './doctor.js';
import { describeTarget, type KubectlTarget } from './kubectl.js';
import {
  COMPONENT_NAMES,
  type OverlayOptions,
  type ResolvedOverlayOptions,
  resolveOverlayOptions,
} from './options.js';
import { createSecretCommand, DEV_LOGIN, overlayFiles } from './overlay.js';
import {
  overlayNamespace,
  overlayPatches,
  patchFileOf,
  yamlSyntaxError,
} from './patches.js';
import { queryClusterDashboards } from './query/cluster.js';
import type { QueryResult } from './query/model.js';
import {
  describeObject,
  RenderError,
  render,
  renderWithOrigins,
} from './render.js';
import { validateStrict } from './strict.js';
import {
  filesNotOurs,
  isNonEmptyDir,
  overlayDirProblem,
  writeOverlay,
} from './write.js';

export const EXIT = { ok: 0, invalid: 1, usage: 2, missingTool: 3 } as const;

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

const consoleIo: Io = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

/** A failure the user can fix: one line saying what is wrong, one hint saying what to do. */
class CliError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    readonly code: number = EXIT.usage,
  ) {
    super(message);
  }
}

/** The flags that pick the cluster, the same for every command that reads one: kubectl's own. */
const CLUSTER_FLAGS = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
} as const;

const CLUSTER_OPTIONS = `  --kubeconfig <file>  the kubeconfig (default: kubectl's, from KUBECONFIG or ~/.kube/config)
  --context <name>     the context in it (default: its current one)`;

function clusterTarget(values: Parsed['values']): KubectlTarget {
  return {
    ...(values.kubeconfig ? { kubeconfig: String(values.kubeconfig) } : {}),
    ...(values.context ? { context: String(values.context) } : {}),
  };
}

/** While data is due, check looks again this often, so it reports as soon as the data is there. */
const CHECK_POLL_MS = 10_000;

const HELP: Record<string, string> = {
  plgkit: `Usage: plgkit <command> [options]

Commands:
  new-overlay <dir>   write an overlay of the whole stack (kustomization and patches) from typed options
  render <overlay>    render an overlay with kubectl kustomize and validate every object strictly
  doctor              check the tools plgkit needs, and each node's runtime against an overlay
  dashboards          run every dashboard panel's queries on your cluster, as Grafana would; list the ones with no data
  check               diagnose the running stack: pods, permissions, targets, runtime, logs, clock, dashboards, rules

Options:
  -h, --help          show help (also after a command: plgkit render --help)
  -v, --version       print the version

Exit codes: 0 done, 1 the overlay does not render or validate, a panel has no data, a node's runtime does not fit or a check fails, 2 bad command line or options, 3 a tool is missing.`,
  'new-overlay': `Usage: plgkit new-overlay <dir> [options]

Writes <dir>/kustomization.yaml and the patches and config files that make the shipped bases match the options.

Options:
  --runtime <r>       the nodes' container runtime: auto (either, read per container), docker or containerd (default: auto)
  --collector <c>     the log collector: promtail (end of life since 2026-03-02) or alloy, its successor (default: promtail)
  --namespace <ns>    namespace of the whole stack, not one of the cluster's own (default: monitoring)
  --profile <p>       container sizes: small fits a default minikube, medium is twice that (default: small)
  --retention <d>     how long Prometheus keeps metrics and Loki keeps logs, e.g. 15d, at least 1d (default: 7d each)
  --dev-password      Grafana's login is admin / plgkit-dev (a local minikube only; default: you create the Secret)
  --grafana-service <t>  clusterip or nodeport, for minikube service grafana (default: clusterip)
  --alert-webhook-url <url>  send every alert to this URL (kept in a Secret of the overlay; default: nowhere)
  --alert-secret <name>      send every alert to the URL in the url key of this Secret, which you create
  --memory <c>=<q>    a component's memory limit, e.g. --memory loki=512Mi (repeat for more; default: the profile's)
  --cpu <c>=<q>       a component's CPU limit, e.g. --cpu prometheus=1 (repeat for more; default: the profile's)
  --force             replace <dir> if it exists and holds only what new-overlay wrote
  -h, --help          show this help`,
  render: `Usage: plgkit render <overlay>

Renders <overlay> with kubectl kustomize (as kubectl apply -k would) and validates each object against the
Kubernetes schema, with unknown fields as errors. Prints each problem with its file and object.

Options:
  -h, --help          show this help`,
  doctor: `Usage: plgkit doctor [--kubeconfig <file>] [--context <name>] [--overlay <dir>]

Reports node, kubectl and kubectl's kustomize version, and what is missing. When a cluster answers (kubectl's
current context), reports each node's container runtime and whether the overlay's log pipeline fits it.

Options:
${CLUSTER_OPTIONS}
  --overlay <dir>     the overlay to check against the nodes' runtimes (default: say which shipped overlays fit)
  -h, --help          show this help`,
  dashboards: `Usage: plgkit dashboards [--kubeconfig <file>] [--context <name>] [--namespace <ns>] [--json]

Reads Grafana's provisioned datasources and dashboards from their ConfigMaps, and runs each template variable's
query and each panel target against Prometheus and Loki through the API server (kubectl proxy: no port-forward),
with variables at their defaults and Grafana's interval rules. Prints one line per query: ✓ with what came back,
or ✗ with the error or "no data" and the panel's description.

Options:
${CLUSTER_OPTIONS}
  --namespace <ns>    where the stack runs (default: monitoring)
  --json              print the results as JSON
  -h, --help          show this help`,
  check: `Usage: plgkit check [--kubeconfig <file>] [--context <name>] [--namespace <ns>] [--json] [--no-wait]

Checks the stack on your cluster (kubectl's current context), in order: ${CHECKS.join(', ')}. Prometheus, Loki
and the kubelets are reached through the API server (no port-forward). Prints one line per check, ✓ or ✗, and under
each ✗ the line that fixes it; a check that cannot mean anything after an earlier failure says so and is skipped.
Right after the stack (re)started, panels and logs lack data that is only not there yet: check looks again every
${CHECK_POLL_MS / 1000} s until it is due (at most ${metricsWarmUpSeconds(30, 30)} s after the newest pod started, with 30 s scrapes).

Options:
${CLUSTER_OPTIONS}
  --namespace <ns>    where the stack runs (default: monitoring)
  --json              print the results as JSON
  --no-wait           report at once; a check still waiting for its data shows … and fails
  -h, --help          show this help`,
};

interface Parsed {
  values: Record<string, string | string[] | boolean | undefined>;
  positionals: string[];
}

function parse(
  command: string,
  args: string[],
  options: Record<
    string,
    { type: 'string' | 'boolean'; multiple?: boolean }
  > = {},
): Parsed {
  try {
    const parsed = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return {
      values: parsed.values as Parsed['values'],
      positionals: parsed.positionals,
    };
  } catch (e) {
    throw new CliError(
      (e as Error).message.split('\n')[0]!,
      `plgkit ${command} --help`,
    );
  }
}

function version(): string {
  return (
    JSON.parse(
      readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { version: string }
  ).version;
}

/** Option paths from the schema, as the flags that set them (`/namespace` → `--namespace`). */
const flagOf = (path: string) =>
  path === '(root)'
    ? 'options'
    : `--${path
        .slice(1)
        .split('/')[0]!
        .replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** `--memory loki=512Mi --memory grafana=256Mi` as `{ memory: { loki: '512Mi', grafana: '256Mi' } }`. */
function sizeFlags(
  values: Parsed['values'],
  kind: 'memory' | 'cpu',
  example: string,
): Partial<OverlayOptions> {
  const given = values[kind] as string[] | undefined;
  if (!given) return {};
  return {
    [kind]: Object.fromEntries(
      given.map((v) => {
        const m = /^([a-z-]+)=(\S+)$/.exec(v);
        if (!m)
          throw new CliError(
            `--${kind} ${v}: expected <component>=<quantity>, e.g. --${kind} ${example}`,
            `components: ${COMPONENT_NAMES.join(', ')}`,
          );
        return [m[1]!, m[2]!];
      }),
    ),
  };
}

/** The flag that sets an option a generator refused: `--memory loki` for Loki's `/resources/limits/memory`. */
function flagOfIssue(component: string, path: string): string {
  const size = /^\/resources\/limits\/(memory|cpu)$/.exec(path);
  if (component !== 'overlay' && size) return `--${size[1]} ${component}`;
  if (component === 'overlay' && /^\/(memory|cpu)\/[^/]+$/.test(path))
    return `--${path.slice(1).replace('/', ' ')}`;
  return flagOf(path);
}

function newOverlayCommand(args: string[], io: Io): number {
  const { values, positionals } = parse('new-overlay', args, {
    runtime: { type: 'string' },
    collector: { type: 'string' },
    namespace: { type: 'string' },
    profile: { type: 'string' },
    retention: { type: 'string' },
    'dev-password': { type: 'boolean' },
    'grafana-service': { type: 'string' },
    'alert-webhook-url': { type: 'string' },
    'alert-secret': { type: 'string' },
    memory: { type: 'string', multiple: true },
    cpu: { type: 'string', multiple: true },
    force: { type: 'boolean' },
  });
  if (values.help) {
    io.out(HELP['new-overlay']!);
    return EXIT.ok;
  }
  const [dir, ...extra] = positionals;
  if (!dir || extra.length > 0)
    throw new CliError(
      dir
        ? `unexpected arguments: ${extra.join(' ')}`
        : 'missing the overlay directory',
      'plgkit new-overlay <dir> [--runtime auto|docker|containerd]',
    );
  const options = {
    ...Object.fromEntries(
      (['runtime', 'collector', 'namespace', 'profile', 'retention'] as const)
        .filter((k) => values[k] !== undefined)
        .map((k) => [k, values[k]]),
    ),
    ...(values['dev-password'] ? { devPassword: true } : {}),
    ...(values['grafana-service'] !== undefined
      ? { grafanaService: values['grafana-service'] }
      : {}),
    ...(values['alert-webhook-url'] !== undefined
      ? { alertWebhookUrl: values['alert-webhook-url'] }
      : {}),
    ...(values['alert-secret'] !== undefined
      ? { alertSecret: values['alert-secret'] }
      : {}),
    ...sizeFlags(values, 'memory', 'loki=512Mi'),
    ...sizeFlags(values, 'cpu', 'prometheus=1'),
  } as OverlayOptions;
  let resolved: ResolvedOverlayOptions;
  let files: FileTree;
  try {
    resolved = resolveOverlayOptions(options);
    files = overlayFiles(dir, resolved);
  } catch (e) {
    if (!(e instanceof OptionsError)) throw e;
    for (const issue of e.issues)
      io.err(
        `plgkit new-overlay: ${flagOfIssue(e.component, issue.path)}: ${issue.message}`,
      );
    if (values.runtime === 'cri-o' || values.runtime === 'crio')
      io.err(
        'hint: CRI-O writes the same CRI log files as containerd: use --runtime containerd (or auto)',
      );
    io.err('hint: plgkit new-overlay --help lists every option and its values');
    return EXIT.usage;
  }
  const unwritable = overlayDirProblem(dir);
  if (unwritable)
    throw new CliError(
      unwritable,
      'choose a path for a new directory, or an existing directory you may write in',
    );
  if (isNonEmptyDir(dir) && !values.force)
    throw new CliError(
      `${dir} exists and is not empty`,
      'pass --force to replace it, or choose another directory',
    );
  const foreign = isNonEmptyDir(dir) ? filesNotOurs(dir, files) : [];
  if (foreign.length > 0)
    throw new CliError(
      `${dir} holds files new-overlay did not write, which --force would delete: ${foreign.join(', ')}`,
      'move them out (or into a Component of your own, listed beside the overlay), then run again',
    );
  writeOverlay(dir, files);
  io.out(`wrote ${dir}: ${[...files.keys()].join(', ')}`);
  io.out(
    resolved.devPassword
      ? `next: kubectl apply -k ${dir}, then log in to Grafana as ${DEV_LOGIN.user} / ${DEV_LOGIN.password}`
      : `next: kubectl apply -f ${join(dir, `namespace-${resolved.namespace}.yaml`)}, then ${createSecretCommand(resolved.namespace)}, then kubectl apply -k ${dir}`,
  );
  return EXIT.ok;
}

function renderCommand(args: string[], io: Io): number {
  const { values, positionals } = parse('render', args);
  if (values.help) {
    io.out(HELP.render!);
    return EXIT.ok;
  }
  const [dir, ...extra] = positionals;
  if (!dir || extra.length > 0)
    throw new CliError(
      dir
        ? `unexpected arguments: ${extra.join(' ')}`
        : 'missing the overlay directory',
      'plgkit render <overlay>',
    );
  let rendered: ReturnType<typeof renderWithOrigins>;
  try {
    rendered = renderWithOrigins(dir);
  } catch (e) {
    if (!(e instanceof RenderError)) throw e;
    if (e.missingKubectl)
      throw new CliError(
        e.message,
        'install kubectl 1.27 or newer; plgkit doctor checks',
        EXIT.missingTool,
      );
    const unmatched = unmatchedPatch(dir, e.message);
    if (unmatched) throw unmatched;
    const syntax = yamlSyntaxError(dir);
    if (syntax)
      throw new CliError(
        `${syntax}\nkustomize: ${e.message}`,
        `fix the YAML at that line, then run plgkit render ${dir} again`,
        EXIT.invalid,
      );
    throw new CliError(
      `kustomize cannot build ${dir}: ${e.message}`,
      'fix the file kustomize names; kubectl kustomize shows the same error',
      EXIT.invalid,
    );
  }
  const origins = new Map(
    rendered.map((r) => [describeObject(r.object), r.origin]),
  );
  const problems = validateStrict(rendered.map((r) => r.object));
  if (problems.length === 0) {
    io.out(`${dir}: ${rendered.length} objects, all valid`);
    return EXIT.ok;
  }
  // A problem a user's patch wrote is the patch's, not the shipped base's it landed in.
  const patches = overlayPatches(dir);
  for (const p of problems) {
    const file =
      (p.culprit && patchFileOf(patches, p.culprit)) ??
      origins.get(p.object) ??
      dir;
    io.err(`${file}: ${p.object}: ${p.message}`);
  }
  io.err(
    `hint: ${problems.length} problem${problems.length === 1 ? '' : 's'}; fix the named field in the named file, then run plgkit render ${dir} again`,
  );
  return EXIT.invalid;
}

/**
 * kustomize's "no matches for Id <Kind>.<version>/<name>.[noNs]": a patch without `metadata.namespace` looks for an
 * object outside any namespace, and the bases' objects are in one. Names the user's patch and the line to add.
 */
function unmatchedPatch(dir: string, error: string): CliError | undefined {
  const m = /no matches for Id ([A-Za-z]+)\.[^/\s]*\/(\S+?)\.\[noNs\]/.exec(
    error,
  );
  if (!m) return undefined;
  const [, kind, name] = m as unknown as [string, string, string];
  const patch = overlayPatches(dir).find(
    (p) => p.kind === kind && p.name === name && !p.namespace,
  );
  if (!patch) return undefined;
  const namespace = overlayNamespace(dir);
  return new CliError(
    `${patch.file}: patches ${kind} ${name} without a namespace, and kustomize matches a patch to an object by namespace too: no object outside a namespace has that name`,
    `add "namespace: ${namespace ?? '<the namespace of your stack>'}" under the patch's metadata, then run plgkit render ${dir} again`,
    EXIT.invalid,
  );
}

/** One doctor line: `ok` or what failed, padded to one column, then the detail and the fix. */
function checkLine(c: ToolCheck, failed: 'missing' | 'misfit'): string {
  return `${(c.ok ? 'ok' : failed).padEnd(7)} ${c.tool}: ${c.detail}${c.hint ? ` (${c.hint})` : ''}`;
}

function doctorCommand(args: string[], io: Io): number {
  const { values, positionals } = parse('doctor', args, {
    ...CLUSTER_FLAGS,
    overlay: { type: 'string' },
  });
  if (values.help) {
    io.out(HELP.doctor!);
    return EXIT.ok;
  }
  if (positionals.length > 0)
    throw new CliError(
      `unexpected arguments: ${positionals.join(' ')}`,
      'plgkit doctor [--kubeconfig <file>] [--context <name>] [--overlay <dir>]',
    );
  const tools = doctor();
  for (const c of tools) io.out(checkLine(c, 'missing'));
  if (!tools.every((c) => c.ok)) return EXIT.missingTool;
  let pipeline: Pipeline | undefined;
  if (values.overlay !== undefined) {
    let objects: ReturnType<typeof render>;
    try {
      objects = render(String(values.overlay));
    } catch (e) {
      if (!(e instanceof RenderError)) throw e;
      throw new CliError(
        `kustomize cannot build ${String(values.overlay)}: ${e.message}`,
        'plgkit render <overlay> shows each problem',
        e.missingKubectl ? EXIT.missingTool : EXIT.invalid,
      );
    }
    pipeline = overlayPipeline(objects);
    if (!pipeline)
      throw new CliError(
        `${String(values.overlay)} has no Promtail config with a log pipeline`,
        'point --overlay at an overlay of the whole stack',
      );
  }
  const nodes = readNodeRuntimes(clusterTarget(values));
  if (!nodes) {
    io.out(
      'skip    cluster: none reachable through kubectl (its current context), so node runtimes are not checked',
    );
    return EXIT.ok;
  }
  const checks = nodes.map((n) => checkNodeRuntime(n, pipeline));
  for (const c of checks) io.out(checkLine(c, 'misfit'));
  return checks.every((c) => c.ok) ? EXIT.ok : EXIT.invalid;
}

function describeResult(r: QueryResult): string {
  const what = `${r.dashboard} / ${r.panel}${r.refId ? ` (${r.refId})` : ''}`;
  if (r.error) return `✗ ${what}: ${r.error}`;
  if (r.count === 0)
    return `✗ ${what}: no data from ${r.query}${r.description ? `\n    ${r.description}` : ''}`;
  return `✓ ${what}: ${r.count} ${r.unit}`;
}

/** Runs a command's work on the cluster; kubectl missing, or a cluster it cannot reach, is one line and a hint. */
async function onCluster<T>(work: () => Promise<T>, hint: string): Promise<T> {
  try {
    return await work();
  } catch (e) {
    const message = (e as Error).message;
    if (/ENOENT|cannot run kubectl/.test(message))
      throw new CliError(
        'kubectl is not on PATH',
        'install kubectl 1.27 or newer; plgkit doctor checks',
        EXIT.missingTool,
      );
    throw new CliError(message, hint, EXIT.invalid);
  }
}

async function dashboardsCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse('dashboards', args, {
    ...CLUSTER_FLAGS,
    namespace: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    io.out(HELP.dashboards!);
    return EXIT.ok;
  }
  if (positionals.length > 0)
    throw new CliError(
      `unexpected arguments: ${positionals.join(' ')}`,
      'plgkit dashboards [--kubeconfig <file>] [--context <name>] [--namespace <ns>] [--json]',
    );
  const target = clusterTarget(values);
  const namespace = String(values.namespace ?? 'monitoring');
  const results: QueryResult[] = await onCluster(
    () => queryClusterDashboards({ ...target, namespace }),
    `check that kubectl${describeTarget(target)} reaches the cluster and that the stack runs in namespace ${namespace}`,
  );
  const empty = results.filter((r) => r.error || r.count === 0);
  if (values.json) io.out(JSON.stringify(results, null, 2));
  else {
    for (const r of results) io.out(describeResult(r));
    io.out(
      `${results.length - empty.length} of ${results.length} queries returned data`,
    );
  }
  return empty.length === 0 ? EXIT.ok : EXIT.invalid;
}

async function checkCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse('check', args, {
    ...CLUSTER_FLAGS,
    namespace: { type: 'string' },
    json: { type: 'boolean' },
    'no-wait': { type: 'boolean' },
  });
  if (values.help) {
    io.out(HELP.check!);
    return EXIT.ok;
  }
  if (positionals.length > 0)
    throw new CliError(
      `unexpected arguments: ${positionals.join(' ')}`,
      'plgkit check [--kubeconfig <file>] [--context <name>] [--namespace <ns>] [--json] [--no-wait]',
    );
  const target = clusterTarget(values);
  const namespace = String(values.namespace ?? 'monitoring');
  const t0 = Date.now();
  const check = () =>
    onCluster(
      () => runChecks({ ...target, namespace }),
      `check that kubectl${describeTarget(target)} reaches the cluster`,
    );
  let results = await check();
  // Bounded by the first run's due time: a pod that keeps restarting would otherwise keep pushing it back.
  const deadline = values['no-wait'] ? undefined : readyAt(results);
  if (deadline !== undefined) {
    for (const r of results.filter((x) => x.status === 'wait'))
      io.err(`… ${r.check}: ${r.summary}`);
    io.err(
      `waiting up to ${Math.ceil((deadline - Date.now()) / 1000)} s, checking every ${CHECK_POLL_MS / 1000} s (--no-wait reports at once)`,
    );
    for (
      let until = readyAt(results);
      until !== undefined && Date.now() < deadline;
      until = readyAt(results)
    ) {
      const ms = Math.max(0, Math.min(CHECK_POLL_MS, until - Date.now()));
      await new Promise((resolve) => setTimeout(resolve, ms));
      results = await check();
    }
  }
  const named = (status: CheckResult['status']) =>
    results
      .filter((r) => r.status === status)
      .map((r) => r.check)
      .join(', ');
  const outcome =
    [
      named('fail') && `${named('fail')} failed`,
      named('wait') && `${named('wait')} still waiting for data`,
    ]
      .filter(Boolean)
      .join('; ') || 'all passed';
  if (values.json) io.out(JSON.stringify(results, null, 2));
  else {
    for (const l of formatResults(results)) io.out(l);
    io.out(
      `${results.length} checks in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${outcome}`,
    );
  }
  return outcome === 'all passed' ? EXIT.ok : EXIT.invalid;
}

type Command = (args: string[], io: Io) => number | Promise<number>;

const COMMANDS: Record<string, Command> = {
  'new-overlay': newOverlayCommand,
  render: renderCommand,
  doctor: doctorCommand,
  dashboards: dashboardsCommand,
  check: checkCommand,
};

/** The commands `plgkit` runs, in the order its help lists them. */
export const COMMAND_NAMES: readonly string[] = Object.keys(COMMANDS);

/** Runs one command line (without `node` and the script); returns the exit code, or a promise of it for cluster commands. */
export function main(
  argv: readonly string[],
  io: Io = consoleIo,
): number | Promise<number> {
  const [command, ...args] = argv;
  const failed = (e: unknown): number => {
    if (!(e instanceof CliError)) throw e;
    io.err(
      `plgkit${command && COMMANDS[command] ? ` ${command}` : ''}: ${e.message}`,
    );
    io.err(`hint: ${e.hint}`);
    return e.code;
  };
  try {
    if (command === undefined) {
      io.err(HELP.plgkit!);
      return EXIT.usage;
    }
    if (command === '-h' || command === '--help' || command === 'help') {
      io.out(HELP.plgkit!);
      return EXIT.ok;
    }
    if (command === '-v' || command === '--version') {
      io.out(version());
      return EXIT.ok;
    }
    const run = COMMANDS[command];
    if (!run)
      throw new CliError(
        `unknown command ${JSON.stringify(command)}`,
        'plgkit --help lists the commands: new-overlay, render, doctor, dashboards, check',
      );
    const code = run(args, io);
    return code instanceof Promise ? code.catch(failed) : code;
  } catch (e) {
    return failed(e);
  }
}
