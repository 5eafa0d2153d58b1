// A minimal OCI image layout writer: one layer from a staged root filesystem, a config, a manifest, an index,
// all named by sha256, packed into an archive that both `ctr images import` and `docker load` read: docker 20.10
// loads only its own format, a manifest.json beside the same blobs (moby's image/tarexport), so it has one too.
import { createHash } from 'node:crypto';
import {
  createReadStream,
  mkdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { run } from '../../support/exec.js';

export interface ImageConfig {
  readonly Entrypoint?: readonly string[];
  readonly Cmd?: readonly string[];
  readonly User?: string;
  readonly WorkingDir?: string;
  readonly Env?: readonly string[];
  readonly ExposedPorts?: Readonly<Record<string, Record<string, never>>>;
  readonly Volumes?: Readonly<Record<string, Record<string, never>>>;
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture: string; os: string };
  annotations?: Record<string, string>;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path))
    hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function blobDir(layout: string): string {
  return join(layout, 'blobs', 'sha256');
}

function writeJsonBlob(
  layout: string,
  mediaType: string,
  value: unknown,
): Descriptor {
  const bytes = Buffer.from(JSON.stringify(value));
  const digest = createHash('sha256').update(bytes).digest('hex');
  writeFileSync(join(blobDir(layout), digest), bytes);
  return { mediaType, digest: `sha256:${digest}`, size: bytes.length };
}

/**
 * Packs `rootfs` (owners and modes as staged) into `archive`, an OCI image layout tar tagged `ref`.
 * The layer is an uncompressed tar with sorted names and zero mtimes, so the same inputs give the same digest.
 */
export async function writeOciArchive(
  rootfs: string,
  ref: string,
  config: ImageConfig,
  archive: string,
): Promise<void> {
  const layout = `${archive}.layout`;
  rmSync(layout, { recursive: true, force: true });
  mkdirSync(blobDir(layout), { recursive: true });
  const layerTmp = join(layout, 'layer.tar');
  run('tar', [
    '--sort=name',
    '--mtime=@0',
    '--numeric-owner',
    '--xattrs',
    '-C',
    rootfs,
    '-cf',
    layerTmp,
    '.',
  ]);
  const layerDigest = await sha256File(layerTmp);
  renameSync(layerTmp, join(blobDir(layout), layerDigest));
  const layer: Descriptor = {
    mediaType: 'application/vnd.oci.image.layer.v1.tar',
    digest: `sha256:${layerDigest}`,
    size: statSync(join(blobDir(layout), layerDigest)).size,
  };

  const imageConfig = writeJsonBlob(
    layout,
    'application/vnd.oci.image.config.v1+json',
    {
      architecture: 'amd64',
      os: 'linux',
      config,
      rootfs: { type: 'layers', diff_ids: [layer.digest] },
      history: [{ created_by: 'plgkit e2e harness (e2e/harness/images.ts)' }],
    },
  );
  const manifest = writeJsonBlob(
    layout,
    'application/vnd.oci.image.manifest.v1+json',
    {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: imageConfig,
      layers: [layer],
    },
  );
  const tag = ref.slice(ref.lastIndexOf(':') + 1);
  writeFileSync(
    join(layout, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          ...manifest,
          platform: { architecture: 'amd64', os: 'linux' },
          // containerd names the imported image from this annotation: the exact reference the manifests use.
          annotations: {
            'io.containerd.image.name': ref,
            'org.opencontainers.image.ref.name': tag,
          },
        },
      ],
    }),
  );
  writeFileSync(
    join(layout, 'oci-layout'),
    JSON.stringify({ imageLayoutVersion: '1.0.0' }),
  );
  const blob = (d: Descriptor): string =>
    `blobs/sha256/${d.digest.slice('sha256:'.length)}`;
  writeFileSync(
    join(layout, 'manifest.json'),
    JSON.stringify([
      { Config: blob(imageConfig), RepoTags: [ref], Layers: [blob(layer)] },
    ]),
  );
  run('tar', [
    '--sort=name',
    '--mtime=@0',
    '--numeric-owner',
    '-C',
    layout,
    '-cf',
    `${archive}.partial`,
    '.',
  ]);
  renameSync(`${archive}.partial`, archive);
  rmSync(layout, { recursive: true, force: true });
}
