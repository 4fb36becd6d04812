// Training and inference throughput (images/second) of a model on the current backend, with peak RSS:
// the numbers `npm run bench` prints and environment.md records (PyTorch comparison: bench/torch_speed.py).
import * as tf from '@tensorflow/tfjs-core';
import { createModel, disposeModel, forward } from '../models/model';
import type { ModelSpec } from '../models/types';
import { createOptimizer, defaultSgd } from '../train/optimizer';
import { trainStep } from '../train/loop';
import { crossEntropy } from '../train/losses';
import { rng } from '../util/rng';
import { gridPoints, makePlane, planeGrid } from '../metrics/plane';
import { planeClasses } from '../metrics/decision-regions';

/** What to measure. */
export interface SpeedOptions {
  /** Training batch size (default 128, as the PyTorch reference). */
  trainBatch?: number;
  /** Inference batch size (default 512). */
  inferBatch?: number;
  /** Timed training steps (default 3) after `warmup` untimed ones (default 1). */
  steps?: number;
  warmup?: number;
  /** Skip inference timing. */
  trainOnly?: boolean;
  /** Decision-region grid resolution for the grid-inference timing (default 24 = 576 images; 0 skips it). */
  gridResolution?: number;
}

/** One measurement. */
export interface SpeedResult { spec: ModelSpec; backend: string; trainImgPerSec: number; inferImgPerSec: number | null; gridImgPerSec: number | null; peakRssMiB: number; trainBatch: number; inferBatch: number; steps: number }

function hostBatch(n: number, spec: ModelSpec) {
  const r = rng(0, 'bench');
  const size = spec.inputShape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n * size);
  for (let i = 0; i < x.length; i++) x[i] = r.normal();
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = r.int(spec.numClasses);
  return { x, y, n };
}

/**
 * Measures training (forward + backward + SGD step) and inference img/s for `spec`.
 * @example
 * const r = measureSpeed({ ...defaultSpec, k: 8 }); r.trainImgPerSec;
 */
export function measureSpeed(spec: ModelSpec, o: SpeedOptions = {}): SpeedResult {
  const trainBatch = o.trainBatch ?? 128, inferBatch = o.inferBatch ?? 512, steps = o.steps ?? 3, warmup = o.warmup ?? 1;
  const model = createModel(spec, 0);
  const opt = createOptimizer(model.params, defaultSgd);
  const batch = hostBatch(trainBatch, spec);
  const phase = { loss: ({ model: m, batch: b }: { model: typeof model; batch: { x: tf.Tensor4D; y: tf.Tensor1D } }) => ({ loss: crossEntropy(forward(m, b.x, { training: true }), b.y) }) };
  const input = { batch, extra: {}, shape: spec.inputShape, extraShapes: {} };
  for (let i = 0; i < warmup; i++) trainStep(model, opt, phase, input, 0.01);
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) trainStep(model, opt, phase, input, 0.01);
  const trainImgPerSec = (steps * trainBatch) / ((performance.now() - t0) / 1000);
  let inferImgPerSec: number | null = null;
  if (!o.trainOnly) {
    const xb = hostBatch(inferBatch, spec).x;
    const run = () => tf.tidy(() => forward(model, tf.tensor4d(xb, [inferBatch, ...spec.inputShape])).dataSync());
    run();
    const t1 = performance.now();
    run();
    inferImgPerSec = inferBatch / ((performance.now() - t1) / 1000);
  }
  const res = o.trainOnly ? 0 : o.gridResolution ?? 24;
  const gridImgPerSec = res > 0 ? measureGrid(model, res, hostBatch(3, spec).x) : null;
  opt.dispose();
  disposeModel(model);
  return { spec, backend: tf.getBackend(), trainImgPerSec, inferImgPerSec, gridImgPerSec, peakRssMiB: process.resourceUsage().maxRSS / 1024, trainBatch, inferBatch, steps };
}

/** Decision-region grid inference img/s (plane construction + forward + arg-max, batch 256). */
function measureGrid(model: ReturnType<typeof createModel>, resolution: number, three: Float32Array): number {
  const D = three.length / 3;
  const plane = makePlane(three.subarray(0, D), three.subarray(D, 2 * D), three.subarray(2 * D));
  const coords = gridPoints(planeGrid(plane.anchors, { resolution }));
  planeClasses(model, plane, coords.subarray(0, 2 * Math.min(64, coords.length / 2)));
  const t0 = performance.now();
  planeClasses(model, plane, coords, { batchSize: 256 });
  return coords.length / 2 / ((performance.now() - t0) / 1000);
}
