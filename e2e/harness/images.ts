// The images the manifests reference, built here from the same upstream releases they pin, laid out as upstream's
// Dockerfiles lay them out (entrypoint, user, working directory, directories and their owners).
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALLOY_IMAGE } from '../../packages/alloy/src/versions.js';
import { HarnessError, run } from '../../support/exec.js';
import { GO_CACHE, IMAGE_CACHE } from '../../support/paths.js';
import { alloy, loki, prometheus } from '../../support/recipes.js';
import {
  BUSYBOX_IMAGE,
  bare,
  CONTROL_PLANE_IMAGES,
  COREDNS_IMAGE,
  LOCAL_PATH_IMAGE,
  PAUSE_IMAGE,
  STACK,
} from '../../support/versions.js';
import { CONTROL_PLANE_COMPONENTS } from './kubeadm.js';
import { type ImageConfig, writeOciArchive } from './oci.js';

type Entry =
  | { kind: 'dir'; path: string; mode: number; uid?: number; gid?: number }
  | {
      kind: 'file';
      path: string;
      from: string;
      mode?: number;
      uid?: number;
      gid?: number;
    }
  | {
      kind: 'text';
      path: string;
      text: string;
      mode?: number;
      uid?: number;
      gid?: number;
    }
  | { kind: 'busybox'; dir: string };

export interface ImageSpec {
  readonly ref: string;
  readonly entries: readonly Entry[];
  readonly config: ImageConfig;
}

const NOBODY = 65534;
const NONROOT = 65532;
const LOKI_UID = 10001;

const PASSWD = [
  'root:x:0:0:root:/root:/sbin/nologin',
  `nobody:x:${NOBODY}:${NOBODY}:nobody:/nonexistent:/sbin/nologin`,
  `nonroot:x:${NONROOT}:${NONROOT}:nonroot:/home/nonroot:/sbin/nologin`,
  `loki:x:${LOKI_UID}:${LOKI_UID}:loki:/loki:/sbin/nologin`,
].join('\n');
const GROUP = [
  'root:x:0:',
  `nobody:x:${NOBODY}:`,
  `nonroot:x:${NONROOT}:`,
  `loki:x:${LOKI_UID}:`,
].join('\n');

/** What every upstream base image (busybox, distroless, ubuntu) provides that these programs rely on. */
const BASE: Entry[] = [
  { kind: 'dir', path: 'etc', mode: 0o755 },
  { kind: 'dir', path: 'tmp', mode: 0o1777 },
  { kind: 'text', path: 'etc/passwd', text: `${PASSWD}\n` },
  { kind: 'text', path: 'etc/group', text: `${GROUP}\n` },
  { kind: 'text', path: 'etc/nsswitch.conf', text: 'hosts: files dns\n' },
  {
    kind: 'file',
    path: 'etc/ssl/certs/ca-certificates.crt',
    from: '/etc/ssl/certs/ca-certificates.crt',
  },
];

function moduleDir(module: string, version: string): string {
  return join(GO_CACHE, 'mod', `${module}@${version}`);
}

const HERE = dirname(fileURLToPath(import.meta.url));

/** A static pause binary, compiled once. */
function pauseBinary(): string {
  const out = join(IMAGE_CACHE, 'pause');
  if (!existsSync(out)) {
    mkdirSync(IMAGE_CACHE, { recursive: true });
    run(
      'gcc',
      ['-static', '-O2', '-o', out, join(HERE, '..', 'images', 'pause.c')],
      { hint: 'compiling the pause binary failed (needs gcc and libc6-dev)' },
    );
  }
  return out;
}

export function imageSpecs(bins: Record<string, string>): ImageSpec[] {
  const bin = (name: string): string => {
    const path = bins[name];
    if (!path)
      throw new HarnessError(`no ${name} binary was built; the image needs it`);
    return path;
  };
  const prom = moduleDir(prometheus.module, prometheus.version);
  const lokiDir = moduleDir(
    loki(STACK.loki.version, ['loki']).module,
    `v${bare(STACK.loki.version)}`,
  );
  const promtailDir = moduleDir(
    loki(STACK.promtail.version, ['promtail']).module,
    `v${bare(STACK.promtail.version)}`,
  );
  return [
    // kubernetes/build/server-image and cluster/images/etcd: distroless, the binary in /usr/local/bin, run by the
    // `command` of kubeadm's static pod manifests through PATH.
    ...CONTROL_PLANE_COMPONENTS.map(
      (component): ImageSpec => ({
        ref: CONTROL_PLANE_IMAGES[component],
        entries: [
          ...BASE,
          {
            kind: 'file',
            path: `usr/local/bin/${component}`,
            from: bin(component),
            mode: 0o755,
          },
        ],
        config: {
          Entrypoint: [`/usr/local/bin/${component}`],
          Env: ['PATH=/usr/local/bin:/usr/bin:/bin'],
        },
      }),
    ),
    {
      ref: PAUSE_IMAGE,
      entries: [
        { kind: 'file', path: 'pause', from: pauseBinary(), mode: 0o755 },
      ],
      config: { Entrypoint: ['/pause'], User: '65535:65535' },
    },
    {
      ref: BUSYBOX_IMAGE,
      entries: [...BASE, { kind: 'busybox', dir: 'bin' }],
      config: { Cmd: ['sh'] },
    },
    {
      // prometheus/Dockerfile: FROM quay.io/prometheus/busybox; WORKDIR /prometheus; USER nobody.
      ref: STACK.prometheus.image,
      entries: [
        ...BASE,
        { kind: 'busybox', dir: 'bin' },
        {
          kind: 'file',
          path: 'bin/prometheus',
          from: bin('prometheus'),
          mode: 0o755,
        },
        {
          kind: 'file',
          path: 'bin/promtool',
          from: bin('promtool'),
          mode: 0o755,
        },
        {
          kind: 'dir',
          path: 'etc/prometheus',
          mode: 0o755,
          uid: NOBODY,
          gid: NOBODY,
        },
        {
          kind: 'file',
          path: 'etc/prometheus/prometheus.yml',
          from: join(prom, 'documentation/examples/prometheus.yml'),
          uid: NOBODY,
          gid: NOBODY,
        },
        {
          kind: 'dir',
          path: 'prometheus',
          mode: 0o775,
          uid: NOBODY,
          gid: NOBODY,
        },
      ],
      config: {
        Entrypoint: ['/bin/prometheus'],
        Cmd: [
          '--config.file=/etc/prometheus/prometheus.yml',
          '--storage.tsdb.path=/prometheus',
        ],
        User: 'nobody',
        WorkingDir: '/prometheus',
        ExposedPorts: { '9090/tcp': {} },
        Volumes: { '/prometheus': {} },
      },
    },
    {
      // alertmanager/Dockerfile: FROM quay.io/prometheus/busybox; /etc/alertmanager and /alertmanager owned by nobody;
      // WORKDIR /alertmanager; USER nobody.
      ref: STACK.alertmanager.image,
      entries: [
        ...BASE,
        { kind: 'busybox', dir: 'bin' },
        {
          kind: 'file',
          path: 'bin/alertmanager',
          from: bin('alertmanager'),
          mode: 0o755,
        },
        { kind: 'file', path: 'bin/amtool', from: bin('amtool'), mode: 0o755 },
        {
          kind: 'dir',
          path: 'etc/alertmanager',
          mode: 0o755,
          uid: NOBODY,
          gid: NOBODY,
        },
        {
          kind: 'dir',
          path: 'alertmanager',
          mode: 0o775,
          uid: NOBODY,
          gid: NOBODY,
        },
      ],
      config: {
        Entrypoint: ['/bin/alertmanager'],
        Cmd: [
          '--config.file=/etc/alertmanager/alertmanager.yml',
          '--storage.path=/alertmanager',
        ],
        User: 'nobody',
        WorkingDir: '/alertmanager',
        ExposedPorts: { '9093/tcp': {} },
        Volumes: { '/alertmanager': {} },
      },
    },
    {
      // cmd/loki/Dockerfile: FROM distroless/static:nonroot (no shell since 3.5.8); /loki and /etc/loki owned by
      // loki (10001); USER 10001.
      ref: STACK.loki.image,
      entries: [
        ...BASE,
        { kind: 'file', path: 'usr/bin/loki', from: bin('loki'), mode: 0o755 },
        {
          kind: 'dir',
          path: 'etc/loki',
          mode: 0o755,
          uid: LOKI_UID,
          gid: LOKI_UID,
        },
        {
          kind: 'file',
          path: 'etc/loki/local-config.yaml',
          from: join(lokiDir, 'cmd/loki/loki-docker-config.yaml'),
          uid: LOKI_UID,
          gid: LOKI_UID,
        },
        {
          kind: 'dir',
          path: 'loki',
          mode: 0o755,
          uid: LOKI_UID,
          gid: LOKI_UID,
        },
        {
          kind: 'dir',
          path: 'loki/rules',
          mode: 0o755,
          uid: LOKI_UID,
          gid: LOKI_UID,
        },
        {
          kind: 'dir',
          path: 'loki/rules-temp',
          mode: 0o755,
          uid: LOKI_UID,
          gid: LOKI_UID,
        },
      ],
      config: {
        Entrypoint: ['/usr/bin/loki'],
        Cmd: ['-config.file=/etc/loki/local-config.yaml'],
        User: String(LOKI_UID),
        ExposedPorts: { '3100/tcp': {} },
      },
    },
    {
      // clients/cmd/promtail/Dockerfile: ubuntu base, runs as root (3.6.x, its last release line).
      ref: STACK.promtail.image,
      entries: [
        ...BASE,
        { kind: 'busybox', dir: 'bin' },
        {
          kind: 'file',
          path: 'usr/bin/promtail',
          from: bin('promtail'),
          mode: 0o755,
        },
        {
          kind: 'file',
          path: 'etc/promtail/config.yml',
          from: join(
            promtailDir,
            'clients/cmd/promtail/promtail-docker-config.yaml',
          ),
        },
      ],
      config: {
        Entrypoint: ['/usr/bin/promtail'],
        Cmd: ['-config.file=/etc/promtail/config.yml'],
      },
    },
    {
      // node_exporter/Dockerfile: FROM quay.io/prometheus/busybox; USER nobody.
      ref: STACK.nodeExporter.image,
      entries: [
        ...BASE,
        { kind: 'busybox', dir: 'bin' },
        {
          kind: 'file',
          path: 'bin/node_exporter',
          from: bin('node_exporter'),
          mode: 0o755,
        },
      ],
      config: {
        Entrypoint: ['/bin/node_exporter'],
        User: 'nobody',
        ExposedPorts: { '9100/tcp': {} },
      },
    },
    {
      // kube-state-metrics/Dockerfile: FROM distroless/static; USER nobody.
      ref: STACK.kubeStateMetrics.image,
      entries: [
        ...BASE,
        {
          kind: 'file',
          path: 'kube-state-metrics',
          from: bin('kube-state-metrics'),
          mode: 0o755,
        },
      ],
      config: {
        Entrypoint: [
          '/kube-state-metrics',
          '--port=8080',
          '--telemetry-port=8081',
        ],
        User: 'nobody',
        ExposedPorts: { '8080/tcp': {}, '8081/tcp': {} },
      },
    },
    {
      // coredns/Dockerfile: FROM distroless/static:nonroot; USER nonroot.
      ref: COREDNS_IMAGE,
      entries: [
        ...BASE,
        { kind: 'file', path: 'coredns', from: bin('coredns'), mode: 0o755 },
      ],
      config: {
        Entrypoint: ['/coredns'],
        User: `${NONROOT}:${NONROOT}`,
        ExposedPorts: { '53/tcp': {}, '53/udp': {} },
      },
    },
    {
      // local-path-provisioner/package/Dockerfile: FROM alpine; the binary in /usr/bin.
      ref: LOCAL_PATH_IMAGE,
      entries: [
        ...BASE,
        { kind: 'busybox', dir: 'bin' },
        {
          kind: 'file',
          path: 'usr/bin/local-path-provisioner',
          from: bin('local-path-provisioner'),
          mode: 0o755,
        },
      ],
      config: { Cmd: ['local-path-provisioner'] },
    },
  ];
}

function stage(root: string, entries: readonly Entry[]): void {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const own = (path: string, mode: number, uid = 0, gid = 0): void => {
    chownSync(path, uid, gid);
    chmodSync(path, mode);
  };
  for (const e of entries) {
    if (e.kind === 'busybox') {
      const dir = join(root, e.dir);
      mkdirSync(dir, { recursive: true });
      copyFileSync('/bin/busybox', join(dir, 'busybox'));
      chmodSync(join(dir, 'busybox'), 0o755);
      for (const applet of run('/bin/busybox', ['--list']).trim().split('\n')) {
        if (applet !== 'busybox' && !existsSync(join(dir, applet)))
          symlinkSync('busybox', join(dir, applet));
      }
      if (e.dir !== 'bin') {
        mkdirSync(join(root, 'bin'), { recursive: true });
        if (!existsSync(join(root, 'bin', 'sh')))
          symlinkSync(`/${e.dir}/sh`, join(root, 'bin', 'sh'));
      }
      continue;
    }
    const path = join(root, e.path);
    mkdirSync(dirname(path), { recursive: true });
    if (e.kind === 'dir') {
      mkdirSync(path, { recursive: true });
      own(path, e.mode, e.uid, e.gid);
    } else {
      if (e.kind === 'file') {
        if (!existsSync(e.from))
          throw new HarnessError(`the image needs ${e.from}, which is missing`);
        copyFileSync(e.from, path);
      } else writeFileSync(path, e.text);
      own(path, e.mode ?? 0o644, e.uid, e.gid);
    }
  }
}

/** `.image.tar`: an OCI layout with docker's manifest.json (older `.oci.tar` archives lack it). */
function archiveName(ref: string): string {
  return `${ref.replace(/[/:]/g, '_')}.image.tar`;
}

/**
 * Grafana Alloy's image, for overlays/minikube-alloy only: built when that overlay first needs it, so the cluster
 * does not wait for Alloy's 12-minute build (which can run in the background meanwhile; see .ci/run).
 */
export function alloyImageSpec(binary: string): ImageSpec {
  const alloyDir = moduleDir(alloy.module, alloy.version);
  return {
    // alloy/Dockerfile: ubuntu base, /bin/alloy, /etc/alloy/config.alloy, /var/lib/alloy/data; runs as root by default.
    ref: ALLOY_IMAGE,
    entries: [
      ...BASE,
      { kind: 'busybox', dir: 'bin' },
      { kind: 'file', path: 'bin/alloy', from: binary, mode: 0o755 },
      {
        kind: 'file',
        path: 'etc/alloy/config.alloy',
        from: join(alloyDir, 'example-config.alloy'),
      },
      { kind: 'dir', path: 'var/lib/alloy/data', mode: 0o770 },
    ],
    config: {
      Entrypoint: ['/bin/alloy'],
      Cmd: [
        'run',
        '/etc/alloy/config.alloy',
        '--storage.path=/var/lib/alloy/data',
      ],
      Env: ['ALLOY_DEPLOY_MODE=docker'],
      ExposedPorts: { '12345/tcp': {} },
    },
  };
}

/** Builds each image archive that is not cached yet; returns ref → archive path. */
export async function buildImages(
  specs: readonly ImageSpec[],
): Promise<Map<string, string>> {
  mkdirSync(IMAGE_CACHE, { recursive: true });
  const out = new Map<string, string>();
  for (const spec of specs) {
    const archive = join(IMAGE_CACHE, archiveName(spec.ref));
    if (!existsSync(archive)) {
      const root = join(IMAGE_CACHE, 'rootfs');
      stage(root, spec.entries);
      await writeOciArchive(root, spec.ref, spec.config, archive);
      rmSync(root, { recursive: true, force: true });
    }
    out.set(spec.ref, archive);
  }
  return out;
}
