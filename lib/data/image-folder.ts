// Image-folder data sets (torchvision ImageFolder layout per split): <root>/<split>/<class>/*.{jpg,jpeg,png},
// from a folder or a tar / tar.gz archive, decoded with sharp into ImageDatasets.
import sharp from 'sharp';
import { DataError } from '../util/errors';
import { readSourceFiles, SourceFile } from './archive';
import { decodeImages, DecodeOptions, DecodeSpec } from './decode';
import { allocLabels, ImageDataset } from './types';

/** File name extensions read as images (case-insensitive). */
export const IMAGE_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png'];

/** True if `p` ends with one of IMAGE_EXTENSIONS. */
export function isImagePath(p: string): boolean {
  const lower = p.toLowerCase();
  return IMAGE_EXTENSIONS.some((e) => lower.endsWith(e));
}

/** Code-unit string order (locale-independent, so the image order is the same everywhere). */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Options of loadImageFolder. */
export interface ImageFolderOptions extends DecodeOptions {
  /** Splits to load (default: every split folder found). */
  splits?: readonly string[];
  /** Label order (default: sorted class folder names over all loaded splits). Unknown folders are an error. */
  classes?: readonly string[];
  /** Target/expected size (default: the size of the first image). */
  width?: number;
  height?: number;
  /** 3 = RGB (default), 1 = grey. */
  channels?: 1 | 3;
  /** Resize to width x height with this sharp fit (default false: sizes must match). */
  resize?: false | 'fill' | 'cover' | 'contain';
  /** Data set name prefix (default 'images'); splits are named `<name>/<split>`. */
  name?: string;
  /** The image files of `source`, if already read (skips reading it again). */
  preloaded?: readonly SourceFile[];
}

/** An encoded image with its label, before decoding. */
export interface LabelledFile {
  name: string;
  data: Uint8Array;
  label: number;
}

/**
 * Decodes labelled files (already in the wanted order) into one ImageDataset.
 * @example
 * const ds = await decodeLabelled(files, { width: 64, height: 64, channels: 3 }, 'tiny.tar.gz', 'tiny/train', wnids);
 */
export async function decodeLabelled(
  files: readonly LabelledFile[],
  spec: DecodeSpec,
  source: string,
  name: string,
  classes: readonly string[],
  opts: DecodeOptions = {},
): Promise<ImageDataset> {
  const images = await decodeImages(files, spec, source, opts);
  const labels = allocLabels(files.length, classes.length);
  files.forEach((f, i) => {
    labels[i] = f.label;
  });
  return {
    name,
    images,
    labels,
    n: files.length,
    height: spec.height,
    width: spec.width,
    channels: spec.channels,
    classes: classes.slice(),
  };
}

/** Image files of one folder or archive grouped as split → class → files (names sorted). */
export type ImageTree = Map<string, Map<string, SourceFile[]>>;

/**
 * Groups files whose paths end in `<split>/<class>/<file>` (any common leading folders allowed).
 * Throws a DataError naming `source` if the layout does not match.
 * @example
 * const tree = groupSplitClassFiles(files, 'cifar10-jpeg.tar.gz'); tree.get('train')?.get('cat')?.length;
 */
export function groupSplitClassFiles(files: readonly SourceFile[], source: string): ImageTree {
  const tree: ImageTree = new Map();
  let prefix: string | undefined;
  for (const f of files) {
    const seg = f.path.split('/');
    if (seg.length < 3) {
      throw new DataError(
        source,
        `image '${f.path}' is not in a <split>/<class>/ folder ` + '(expected e.g. train/cat/0001.jpg, test/cat/0001.jpg)',
      );
    }
    const pre = seg.slice(0, -3).join('/');
    if (prefix === undefined) prefix = pre;
    else if (pre !== prefix) {
      throw new DataError(
        source,
        `images at different depths ('${f.path}' vs under '${prefix}/'); ` + 'expected <split>/<class>/<file> everywhere',
      );
    }
    const [split, cls] = seg.slice(-3, -1);
    let byClass = tree.get(split);
    if (!byClass) tree.set(split, (byClass = new Map()));
    let list = byClass.get(cls);
    if (!list) byClass.set(cls, (list = []));
    list.push(f);
  }
  for (const byClass of tree.values())
    for (const list of byClass.values()) {
      list.sort((a, b) => compareNames(a.path, b.path));
    }
  return tree;
}

/**
 * Probes the size of an encoded image.
 * @example
 * const { width, height } = await probeSize(fs.readFileSync('a.jpg'), 'a.jpg');
 */
export async function probeSize(data: Uint8Array, name: string): Promise<{ width: number; height: number }> {
  const m = await sharp(data).metadata();
  if (!m.width || !m.height) throw new DataError(name, 'cannot read the image size');
  return { width: m.width, height: m.height };
}

/**
 * Loads `<root>/<split>/<class>/*.{jpg,jpeg,png}` from a folder or tar(.gz) archive: one ImageDataset
 * per split, labels in `classes` order, images sorted by class then file name.
 * @example
 * const { train, test } = await loadImageFolder('/data/cifar10-jpeg.tar.gz', { classes: CIFAR10_CLASSES });
 */
export async function loadImageFolder(source: string, opts: ImageFolderOptions = {}): Promise<Record<string, ImageDataset>> {
  const wanted = opts.splits ? new Set(opts.splits) : undefined;
  const keep = (p: string): boolean => isImagePath(p) && (!wanted || wanted.has(p.split('/').slice(-3)[0]));
  const files = opts.preloaded ? opts.preloaded.filter((f) => keep(f.path)) : await readSourceFiles(source, { filter: keep });
  if (files.length === 0) {
    throw new DataError(source, `holds no ${IMAGE_EXTENSIONS.join('/')} images in <split>/<class>/ folders`);
  }
  const tree = groupSplitClassFiles(files, source);
  const splits = opts.splits ? opts.splits.slice() : [...tree.keys()].sort(compareNames);
  for (const s of splits) {
    if (!tree.has(s)) throw new DataError(source, `has no '${s}/' split folder (found: ${[...tree.keys()].join(', ')})`);
  }
  const found = new Set<string>();
  for (const s of splits) for (const c of tree.get(s)!.keys()) found.add(c);
  const classes = opts.classes ? opts.classes.slice() : [...found].sort(compareNames);
  const unknown = [...found].filter((c) => !classes.includes(c));
  if (unknown.length > 0) {
    throw new DataError(source, `class folders ${unknown.join(', ')} are not among the expected classes ` + classes.join(', '));
  }
  const first = files[0];
  const probed = opts.width && opts.height ? undefined : await probeSize(first.data, `${source}:${first.path}`);
  const spec: DecodeSpec = {
    width: opts.width ?? probed!.width,
    height: opts.height ?? probed!.height,
    channels: opts.channels ?? 3,
    resize: opts.resize ?? false,
  };
  // One decode call for all splits (one worker pool), then one data set per split.
  const labelled: LabelledFile[] = [];
  const ranges: [string, number, number][] = [];
  for (const s of splits) {
    const byClass = tree.get(s)!;
    const start = labelled.length;
    classes.forEach((c, label) => {
      for (const f of byClass.get(c) ?? []) labelled.push({ name: f.path, data: f.data, label });
    });
    ranges.push([s, start, labelled.length]);
  }
  const all = await decodeLabelled(labelled, spec, source, opts.name ?? 'images', classes, opts);
  const size = spec.width * spec.height * spec.channels;
  const out: Record<string, ImageDataset> = {};
  for (const [s, a, b] of ranges) {
    out[s] = {
      ...all,
      name: `${opts.name ?? 'images'}/${s}`,
      images: all.images.subarray(a * size, b * size),
      labels: all.labels.subarray(a, b),
      n: b - a,
      classes: classes.slice(),
    };
  }
  return out;
}
