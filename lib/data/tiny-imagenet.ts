// Tiny ImageNet (CS231N release, tiny-imagenet-200): wnids.txt, train/<wnid>/images/*.JPEG,
// val/images/*.JPEG labelled by val/val_annotations.txt; 200 classes of 64x64 RGB (some JPEGs are grey), with a
// content fingerprint of the files read; where the data-set registry finds it.
import * as fs from 'fs';
import { DataError } from '../util/errors';
import { readSourceFiles, SourceFile } from './archive';
import { bytesDigest } from './checksum';
import { DecodeOptions } from './decode';
import { contentFingerprint, FingerprintPart } from './fingerprint';
import { compareNames, decodeLabelled, isImagePath, LabelledFile } from './image-folder';
import { datasetDir, DataRootOptions } from './paths';
import { ImageDataset } from './types';

/** Folder name of the release (under the data root when UNLEARN_TINY_IMAGENET is not set). */
export const TINY_IMAGENET_DIR = 'tiny-imagenet-200';
/** Number of classes (wnids) of the release. */
export const TINY_IMAGENET_CLASS_COUNT = 200;

/** Options of loadTinyImageNet. */
export interface TinyImageNetOptions extends DecodeOptions {
  /** Output size (default 64x64, the native size; other sizes resize with `fit`). */
  size?: number;
  /** sharp fit used when `size` is not 64 (default 'fill'). */
  fit?: 'fill' | 'cover' | 'contain';
  /** 3 = RGB (default; grey JPEGs are converted), 1 = grey. */
  channels?: 1 | 3;
}

function textOf(files: Map<string, SourceFile>, name: string, source: string): string {
  const f = files.get(name);
  if (!f) throw new DataError(source, `has no ${name} (expected the tiny-imagenet-200 layout)`);
  return f.data.toString('utf8');
}

/**
 * Where the data-set registry reads Tiny ImageNet: env UNLEARN_TINY_IMAGENET (a folder or tar(.gz)), else
 * `<dataRoot>/tiny-imagenet-200`.
 * @example
 * tinyImageNetSource({ dataRoot: '/data' }); // '/data/tiny-imagenet-200' (without UNLEARN_TINY_IMAGENET)
 */
export function tinyImageNetSource(opts: DataRootOptions = {}): string {
  return process.env.UNLEARN_TINY_IMAGENET || datasetDir(TINY_IMAGENET_DIR, opts);
}

/**
 * Loads Tiny ImageNet's labelled splits from the extracted `tiny-imagenet-200` folder or a tar(.gz)
 * of it (the official .zip must be unzipped first). Classes are the wnids, sorted; images sorted by
 * class then file name (train) and by file name (val). In RGB the data sets are marked as the registry's
 * 'tiny-imagenet' (ImageNet's normalisation). The fingerprint is contentFingerprint of the SHA-256 of
 * every file read (wnids.txt, val_annotations.txt, the train and val images), by path within the release,
 * so a folder and an archive of the same bytes agree; the decoded pixels also depend on `size` and `channels`.
 * @example
 * const { train, val, fingerprint } = await loadTinyImageNet('/data/tiny-imagenet-200', { size: 32 });
 */
export async function loadTinyImageNet(
  source: string,
  opts: TinyImageNetOptions = {},
): Promise<{ train: ImageDataset; val: ImageDataset; fingerprint: string }> {
  const all = await readSourceFiles(source, {
    filter: (p) => isImagePath(p) || p.endsWith('wnids.txt') || p.endsWith('val_annotations.txt'),
  });
  const wnidsFile = all.find((f) => f.path === 'wnids.txt' || f.path.endsWith('/wnids.txt'));
  if (!wnidsFile) throw new DataError(source, 'has no wnids.txt (expected the tiny-imagenet-200 layout)');
  const prefix = wnidsFile.path.slice(0, wnidsFile.path.length - 'wnids.txt'.length);
  const byPath = new Map<string, SourceFile>();
  for (const f of all) if (f.path.startsWith(prefix)) byPath.set(f.path.slice(prefix.length), f);
  const classes = textOf(byPath, 'wnids.txt', source)
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .sort(compareNames);
  const labelOf = new Map<string, number>();
  classes.forEach((c, i) => labelOf.set(c, i));

  const train: LabelledFile[] = [];
  const val: LabelledFile[] = [];
  const valLabels = new Map<string, number>();
  for (const line of textOf(byPath, 'val/val_annotations.txt', source).split('\n')) {
    const cols = line.trim().split('\t');
    if (cols.length < 2) continue;
    const label = labelOf.get(cols[1]);
    if (label === undefined) {
      throw new DataError(`${source}:val/val_annotations.txt`, `wnid ${cols[1]} of ${cols[0]} is not in wnids.txt`);
    }
    valLabels.set(cols[0], label);
  }
  for (const [rel, f] of byPath) {
    if (!isImagePath(rel)) continue;
    const seg = rel.split('/');
    if (seg[0] === 'train' && seg.length === 4 && seg[2] === 'images') {
      const label = labelOf.get(seg[1]);
      if (label === undefined) throw new DataError(source, `train folder ${seg[1]} is not in wnids.txt`);
      train.push({ name: rel, data: f.data, label });
    } else if (seg[0] === 'val' && seg.length === 3 && seg[1] === 'images') {
      const label = valLabels.get(seg[2]);
      if (label === undefined) throw new DataError(source, `${rel} has no line in val/val_annotations.txt`);
      val.push({ name: rel, data: f.data, label });
    }
  }
  if (train.length === 0) throw new DataError(source, 'has no train/<wnid>/images/*.JPEG files');
  train.sort((a, b) => a.label - b.label || compareNames(a.name, b.name));
  val.sort((a, b) => compareNames(a.name, b.name));
  const size = opts.size ?? 64;
  const spec = { width: size, height: size, channels: opts.channels ?? 3, resize: size === 64 ? (false as const) : (opts.fit ?? 'fill') };
  const registered = spec.channels === 3 ? { dataset: 'tiny-imagenet' } : {}; // grey: no registered statistics
  return {
    train: { ...(await decodeLabelled(train, spec, source, 'tiny-imagenet/train', classes, opts)), ...registered },
    val: { ...(await decodeLabelled(val, spec, source, 'tiny-imagenet/val', classes, opts)), ...registered },
    fingerprint: releaseFingerprint(
      byPath,
      [...train, ...val].map((f) => f.name),
    ),
  };
}

/** contentFingerprint of wnids.txt, val/val_annotations.txt and `images` (paths within the release), sorted by path. */
function releaseFingerprint(byPath: Map<string, SourceFile>, images: readonly string[]): string {
  const names = ['wnids.txt', 'val/val_annotations.txt', ...images].sort();
  const parts: FingerprintPart[] = names.map((name) => ({ name, sha256: bytesDigest(byPath.get(name)!.data) }));
  return contentFingerprint(parts);
}

/**
 * Tiny ImageNet as the data-set registry loads it: the native 64x64 RGB train split, the labelled val split as
 * test, and the fingerprint; a DataError saying where to put the release when it is missing.
 * @example
 * const { train, test, fingerprint } = await loadTinyImageNetDataset(); test.n; // 10000
 */
export async function loadTinyImageNetDataset(
  opts: DataRootOptions = {},
): Promise<{ train: ImageDataset; test: ImageDataset; fingerprint: string }> {
  const source = tinyImageNetSource(opts);
  if (!fs.existsSync(source)) {
    throw new DataError(
      source,
      'missing: put the extracted tiny-imagenet-200 release (cs231n.stanford.edu, unzip ' +
        'tiny-imagenet-200.zip) there, or set UNLEARN_TINY_IMAGENET to its folder or a tar(.gz) of it',
    );
  }
  const { train, val, fingerprint } = await loadTinyImageNet(source);
  return { train, test: val, fingerprint };
}
