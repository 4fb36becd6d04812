// Training and inference throughput (images/second) of a model on the current backend, with peak RSS:
// the numbers `npm run bench` prints and environment.md records (PyTorch comparison: bench/torch_speed.py).
import * as tf from '@tensorflow/tfjs-core';
import { createModel, disposeModel, forward } from '../models/model';
import type { ModelSpec } from '../models/types';
import { createOptimizer, defaultSgd } from '../train/optimizer';
import { crossEntropy } from '../train/losses';
import { rng } from '../util/rng';
import { gridPoints, makePlane, planeGrid } from '../metrics/plane';
import { planeClassesAsync } from '../metrics/decision-regions';

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
export interface SpeedResult {
  spec: ModelSpec;
  backend: string;
  trainImgPerSec: number;
  inferImgPerSec: number | null;
  gridImgPerSec: number | null;
  peakRssMiB: number;
  /** Bytes the backend holds after training and inference, in MiB (tf.memory(): GPU bytes allocated on webgpu). */
  deviceMiB: number;
  trainBatch: number;
  inferBatch: number;
  steps: number;
}

/** Backend memory now, in MiB: allocated GPU buffers on webgpu (pooled ones included), tensor bytes elsewhere. */
function deviceMiB(): number {
  const m = tf.memory() as tf.MemoryInfo & { numBytesAllocatedInGPU?: number };
  return (m.numBytesAllocatedInGPU ?? m.numBytes) / 2 ** 20;
}

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
 * Measures training (forward + backward + SGD step) and inference img/s for `spec`. Steps are queued
 * without reads (as on a GPU they should be); one async read of the last loss ends the timing.
 * @example
 * const r = await measureSpeed({ ...defaultSpec, k: 8 }); r.trainImgPerSec;
 */
export async function measureSpeed(spec: ModelSpec, o: SpeedOptions = {}): Promise<SpeedResult> {
  const trainBatch = o.trainBatch ?? 128,
    inferBatch = o.inferBatch ?? 512,
    steps = o.steps ?? 3,
    warmup = o.warmup ?? 1;
  const model = createModel(spec, 0);
  const opt = createOptimizer(model.params, defaultSgd);
  const batch = hostBatch(trainBatch, spec);
  const x = tf.tensor4d(batch.x, [trainBatch, ...spec.inputShape]),
    y = tf.tensor1d(batch.y, 'int32');
  const params = Object.values(model.params);
  // One step; returns the loss tensor (kept), read only at the end of a timed run.
  const step = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => crossEntropy(forward(model, x, { training: true }), y), params);
      opt.step(Object.fromEntries(Object.entries(model.params).map(([n, p]) => [n, grads[p.name]])), 0.01);
      return value;
    });
  // Bounded in-flight work: Dawn on lavapipe crashed (SIGSEGV) with ≈ 50 unread steps queued.
  const run = async (n: number) => {
    for (let done = 0; done < n; done += 20) {
      const losses = Array.from({ length: Math.min(20, n - done) }, step);
      await losses[losses.length - 1].data();
      tf.dispose(losses);
    }
  };
  await run(warmup);
  const t0 = performance.now();
  await run(steps);
  const trainImgPerSec = (steps * trainBatch) / ((performance.now() - t0) / 1000);
  let memory = deviceMiB();
  tf.dispose([x, y]);
  let inferImgPerSec: number | null = null;
  if (!o.trainOnly) {
    const xb = tf.tensor4d(hostBatch(inferBatch, spec).x, [inferBatch, ...spec.inputShape]);
    const infer = async () => {
      const out = tf.tidy(() => forward(model, xb));
      await out.data();
      out.dispose();
    };
    await infer();
    const t1 = performance.now();
    await infer();
    inferImgPerSec = inferBatch / ((performance.now() - t1) / 1000);
    memory = Math.max(memory, deviceMiB());
    xb.dispose();
  }
  const res = o.trainOnly ? 0 : (o.gridResolution ?? 24);
  const gridImgPerSec = res > 0 ? await measureGrid(model, res, hostBatch(3, spec).x) : null;
  opt.dispose();
  disposeModel(model);
  return {
    spec,
    backend: tf.getBackend(),
    trainImgPerSec,
    inferImgPerSec,
    gridImgPerSec,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    deviceMiB: memory,
    trainBatch,
    inferBatch,
    steps,
  };
}

/** Decision-region grid inference img/s (plane construction + forward + arg-max, batch 256). */
async function measureGrid(model: ReturnType<typeof createModel>, resolution: number, three: Float32Array): Promise<number> {
  const D = three.length / 3;
  const plane = makePlane(three.subarray(0, D), three.subarray(D, 2 * D), three.subarray(2 * D));
  const coords = gridPoints(planeGrid(plane.anchors, { resolution }));
  await planeClassesAsync(model, plane, coords.subarray(0, 2 * Math.min(64, coords.length / 2)));
  const t0 = performance.now();
  await planeClassesAsync(model, plane, coords, { batchSize: 256 });
  return coords.length / 2 / ((performance.now() - t0) / 1000);
}
