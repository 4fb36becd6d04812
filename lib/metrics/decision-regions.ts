// Decision regions on planes through one forget and two retain images (appendix D.1, after Somepalli et al.
// CVPR 2022): seeded plane sampling and every grid point's predicted class, batched grid inference.
import * as tf from '@tensorflow/tfjs-core';
import { gatherBatch } from '../data/batches';
import type { Normalization } from '../data/normalize';
import type { ImageDataset } from '../data/types';
import { forward } from '../models/model';
import type { Model } from '../models/types';
import { rng } from '../util/rng';
import { gridPoints, makePlane, planeGrid, type GridOptions, type Plane, type PlaneGrid, type PlanePoint } from './plane';
import { beat } from '../util/heartbeat';

/** The images spanning one plane: data-set indices of x1 (forget) and x2, x3 (retain). */
export interface PlaneTriple {
  forget: number;
  retain: [number, number];
}

/**
 * Seeded choice of `count` planes (default 300, as the paper): the forget image cycles through seeded
 * permutations of `forget` (each forget example used about equally often), the two retain images are
 * distinct uniform draws from `retain`.
 * @example
 * const triples = samplePlaneTriples(splits.forget, splits.retain, 300, seed);
 */
export function samplePlaneTriples(
  forget: ArrayLike<number>,
  retain: ArrayLike<number>,
  count = 300,
  seed = 0,
  options: { labels?: ArrayLike<number> } = {},
): PlaneTriple[] {
  if (options.labels) return sampleDistinctLabelTriples(forget, retain, count, seed, options.labels);
  if (forget.length < 1) throw new RangeError('samplePlaneTriples: empty forget set');
  if (retain.length < 2) throw new RangeError('samplePlaneTriples: needs at least 2 retain examples');
  if (!(Number.isInteger(count) && count >= 0))
    throw new RangeError(`samplePlaneTriples: count must be a non-negative integer, got ${count}`);
  const r = rng(seed, 'decision-planes');
  const out: PlaneTriple[] = [];
  let perm: Int32Array = new Int32Array(0);
  for (let t = 0; t < count; t++) {
    const at = t % forget.length;
    if (at === 0) perm = r.fork(`forget-pass-${t / forget.length}`).permutation(forget.length);
    const r1 = r.int(retain.length);
    let r2 = r.int(retain.length - 1);
    if (r2 >= r1) r2++;
    out.push({ forget: forget[perm[at]], retain: [retain[r1], retain[r2]] });
  }
  return out;
}

/**
 * Like samplePlaneTriples, but the forget image and both retain images have three distinct labels (`labels` by
 * data-set index): retain images are drawn until their labels differ from the forget image's and each other's.
 * @example
 * samplePlaneTriples(splits.forget, splits.retain, 50, 0, { labels: splits.trainLabels });
 */
function sampleDistinctLabelTriples(
  forget: ArrayLike<number>,
  retain: ArrayLike<number>,
  count: number,
  seed: number,
  labels: ArrayLike<number>,
): PlaneTriple[] {
  const r = rng(seed, 'decision-planes-distinct');
  const out: PlaneTriple[] = [];
  let perm: Int32Array = new Int32Array(0);
  for (let t = 0; t < count; t++) {
    const at = t % forget.length;
    if (at === 0) perm = r.fork(`forget-pass-${t / forget.length}`).permutation(forget.length);
    const f = forget[perm[at]];
    const draw = (not: number[]) => {
      for (let tries = 0; tries < 10000; tries++) {
        const i = retain[r.int(retain.length)];
        if (!not.includes(labels[i])) return i;
      }
      throw new RangeError(`samplePlaneTriples: no retain image with a label other than ${not.join(', ')}`);
    };
    const r1 = draw([labels[f]]);
    const r2 = draw([labels[f], labels[r1]]);
    out.push({ forget: f, retain: [r1, r2] });
  }
  return out;
}

/**
 * The plane of a triple, built from the images as the model sees them (normalised like training batches).
 * @example
 * const p = planeOfTriple(data.train, triples[0]);
 */
export function planeOfTriple(ds: ImageDataset, triple: PlaneTriple, options: { normalize?: Normalization | false } = {}): Plane {
  const { x } = gatherBatch(ds, [triple.forget, triple.retain[0], triple.retain[1]], { normalize: options.normalize });
  const D = x.length / 3;
  return makePlane(x.subarray(0, D), x.subarray(D, 2 * D), x.subarray(2 * D));
}

/** Plane basis on the backend: rows x1, a, b as a [3, D] matrix. */
function basisTensor(plane: Plane): tf.Tensor2D {
  const D = plane.origin.length;
  const m = new Float32Array(3 * D);
  m.set(plane.origin, 0);
  m.set(plane.a, D);
  m.set(plane.b, 2 * D);
  return tf.tensor2d(m, [3, D]);
}

/** Images x1 + u·a + v·b for `coords` pairs [u0, v0, u1, v1, …] from `from` to `to` (point indices), as [B, H, W, C]. */
function imagesFromBasis(
  basis: tf.Tensor2D,
  coords: ArrayLike<number>,
  from: number,
  to: number,
  shape: [number, number, number],
): tf.Tensor4D {
  const B = to - from;
  const w = new Float32Array(3 * B);
  for (let k = 0; k < B; k++) {
    w[3 * k] = 1;
    w[3 * k + 1] = coords[2 * (from + k)];
    w[3 * k + 2] = coords[2 * (from + k) + 1];
  }
  return tf.tidy(() => tf.matMul(tf.tensor2d(w, [B, 3]), basis).reshape([B, ...shape]) as tf.Tensor4D);
}

/**
 * The images at plane coordinates `coords` ([u0, v0, u1, v1, …]) as a tensor [n, H, W, C], built on the
 * backend exactly as grid inference builds them (caller disposes).
 * @example
 * const t = planeImages(p, Float64Array.from(p.anchors.flat()), [32, 32, 3]); // the three images
 */
export function planeImages(plane: Plane, coords: ArrayLike<number>, shape: [number, number, number]): tf.Tensor4D {
  const basis = basisTensor(plane);
  try {
    return imagesFromBasis(basis, coords, 0, coords.length / 2, shape);
  } finally {
    basis.dispose();
  }
}

/** Options of grid inference. */
export interface GridInferenceOptions {
  /** Images per forward pass (default 256). */
  batchSize?: number;
}

/**
 * Predicted class (arg-max logit, evaluation mode) of `model` at each of the points `coords`
 * ([u0, v0, u1, v1, …], e.g. `gridPoints(grid)`), batched; images are built on the backend on the fly.
 * @example
 * const cls = planeClasses(model, p, gridPoints(planeGrid(p.anchors))); // 5625 classes
 */
export function planeClasses(model: Model, plane: Plane, coords: ArrayLike<number>, options: GridInferenceOptions = {}): Uint16Array {
  const shape = model.spec.inputShape;
  const D = shape[0] * shape[1] * shape[2];
  if (plane.origin.length !== D)
    throw new RangeError(`planeClasses: plane images have ${plane.origin.length} values, the model expects ${shape.join('x')} = ${D}`);
  const out = new Uint16Array(coords.length / 2);
  const basis = basisTensor(plane);
  try {
    for (const { cls, s } of classBatches(model, basis, coords, options)) {
      out.set(cls.dataSync(), s); // sync read: CPU-memory backends only (planeClassesAsync elsewhere)
      cls.dispose();
    }
  } finally {
    basis.dispose();
  }
  return out;
}

/** The forward passes of planeClasses: arg-max classes of each batch of grid points and its first point. */
function* classBatches(
  model: Model,
  basis: tf.Tensor2D,
  coords: ArrayLike<number>,
  options: GridInferenceOptions,
): Generator<{ cls: tf.Tensor; s: number }> {
  const bs = options.batchSize ?? 256;
  const n = coords.length / 2;
  for (let s = 0; s < n; s += bs) {
    const e = Math.min(n, s + bs);
    yield {
      cls: tf.tidy(() => tf.argMax(forward(model, imagesFromBasis(basis, coords, s, e, model.spec.inputShape), { training: false }), 1)),
      s,
    };
  }
}

/**
 * planeClasses with asynchronous reads (every backend, webgpu included); the next batch is queued on the
 * device before the previous one is read.
 * @example
 * const cls = await planeClassesAsync(model, p, gridPoints(planeGrid(p.anchors)));
 */
export async function planeClassesAsync(
  model: Model,
  plane: Plane,
  coords: ArrayLike<number>,
  options: GridInferenceOptions = {},
): Promise<Uint16Array> {
  const shape = model.spec.inputShape;
  const D = shape[0] * shape[1] * shape[2];
  if (plane.origin.length !== D)
    throw new RangeError(`planeClasses: plane images have ${plane.origin.length} values, the model expects ${shape.join('x')} = ${D}`);
  const out = new Uint16Array(coords.length / 2);
  const basis = basisTensor(plane);
  let pending: { cls: tf.Tensor; s: number } | undefined;
  const drain = async () => {
    if (!pending) return;
    out.set(await pending.cls.data(), pending.s);
    pending.cls.dispose();
    pending = undefined;
  };
  try {
    for (const next of classBatches(model, basis, coords, options)) {
      await drain();
      pending = next;
    }
    await drain();
  } finally {
    pending?.cls.dispose();
    basis.dispose();
  }
  return out;
}

/** One plane's decision regions for several models. */
export interface PlaneRegions {
  triple: PlaneTriple;
  /** Plane coordinates of the forget image and the two retain images. */
  anchors: [PlanePoint, PlanePoint, PlanePoint];
  grid: PlaneGrid;
  /** Per model name: predicted class at grid point p = i·resolution + j (u = grid.us[i], v = grid.vs[j]). */
  classes: Record<string, Uint16Array>;
}

/** Options of `decisionRegions`. */
export interface DecisionRegionOptions extends GridOptions, GridInferenceOptions {
  /** Input normalisation (default: the training batches' default for the data set). */
  normalize?: Normalization | false;
  /** Called after each plane (progress). */
  onPlane?: (done: number, total: number) => void;
}

/**
 * Predicted-class grids of every model in `models` on the planes of `triples` (same planes and grid points
 * for all models, so their regions can be compared point by point).
 * @example
 * const regions = decisionRegions({ original, unlearned, retrained }, data.train, samplePlaneTriples(s.forget, s.retain, 300, seed));
 */
export function decisionRegions(
  models: Record<string, Model>,
  ds: ImageDataset,
  triples: readonly PlaneTriple[],
  options: DecisionRegionOptions = {},
): PlaneRegions[] {
  // Sync reads: CPU-memory backends only; decisionRegionsAsync works on every backend.
  const out: PlaneRegions[] = [];
  triples.forEach((triple, t) => {
    const plane = planeOfTriple(ds, triple, options);
    const grid = planeGrid(plane.anchors, options);
    const coords = gridPoints(grid);
    const classes: Record<string, Uint16Array> = {};
    for (const [name, m] of Object.entries(models)) classes[name] = planeClasses(m, plane, coords, options);
    out.push({ triple, anchors: plane.anchors, grid, classes });
    options.onPlane?.(t + 1, triples.length);
    beat(); // keeps the store lock of a long grid computation fresh
  });
  return out;
}

/**
 * decisionRegions with asynchronous reads (every backend, webgpu included).
 * @example
 * const regions = await decisionRegionsAsync({ original, unlearned }, data.train, triples);
 */
export async function decisionRegionsAsync(
  models: Record<string, Model>,
  ds: ImageDataset,
  triples: readonly PlaneTriple[],
  options: DecisionRegionOptions = {},
): Promise<PlaneRegions[]> {
  const out: PlaneRegions[] = [];
  for (const [t, triple] of triples.entries()) {
    const plane = planeOfTriple(ds, triple, options);
    const grid = planeGrid(plane.anchors, options);
    const coords = gridPoints(grid);
    const classes: Record<string, Uint16Array> = {};
    for (const [name, m] of Object.entries(models)) classes[name] = await planeClassesAsync(m, plane, coords, options);
    out.push({ triple, anchors: plane.anchors, grid, classes });
    options.onPlane?.(t + 1, triples.length);
    beat();
  }
  return out;
}
