// Training rate of one `paper`-profile original (full CIFAR-10, augmented batches, SGD, the profile's recipe)
// for a bounded time, and the wall time of the whole paper profile extrapolated from it (scripts/gpu-check.sh).
import * as tf from '@tensorflow/tfjs-core';
import { getProfile } from '../experiment/profiles';
import { prepareData } from '../experiment/data';
import { createModel, disposeModel, forward } from '../models/model';
import { createOptimizer } from '../train/optimizer';
import { crossEntropy } from '../train/losses';
import { rng } from '../util/rng';

/** What to run. */
export interface PaperRateOptions {
  /** Width k of the ResNet-18k (default 64, the paper's widest). */
  k?: number;
  /** Stop after this many epochs (default 3) … */
  maxEpochs?: number;
  /** … or once this many seconds have passed (default 240), whichever comes first. */
  maxSeconds?: number;
  /** Called after each progress read (every 20 steps) with steps done, images/s and the running loss. */
  onProgress?: (steps: number, imgPerSec: number, loss: number) => void;
}

/** What was measured. */
export interface PaperRate {
  k: number;
  batchSize: number;
  trainExamples: number;
  steps: number;
  epochs: number;
  seconds: number;
  /** Training images/s after the first (shader-compiling) 5 steps. */
  imgPerSec: number;
  /** Mean loss of the last progress window (a sanity check: it should fall from ≈ 2.3). */
  loss: number;
}

/**
 * Trains a paper-profile original at width k for a bounded time; one async loss read every 20 steps (no
 * per-step syncs), the data pipeline (shuffle, crop, flip) included.
 * @example
 * const r = await measurePaperRate({ k: 64, maxSeconds: 120 }); r.imgPerSec;
 */
export async function measurePaperRate(o: PaperRateOptions = {}): Promise<PaperRate> {
  const p = getProfile('paper');
  const k = o.k ?? 64,
    maxEpochs = o.maxEpochs ?? 3,
    maxSeconds = o.maxSeconds ?? 240;
  const d = await prepareData({ ...p.data, split: { ...p.data.split, goal: 'privacy' } }, 0);
  const model = createModel({ arch: p.arch, k, numClasses: d.numClasses, inputShape: d.shape }, 0);
  const opt = createOptimizer(model.params, p.original.optimizer);
  const bs = p.original.batchSize,
    params = Object.values(model.params);
  const start = performance.now();
  let steps = 0,
    seen = 0,
    epochs = 0,
    loss = NaN,
    t5 = 0,
    seen5 = 0;
  let window: tf.Scalar[] = [];
  try {
    outer: for (let epoch = 0; epoch < maxEpochs; epoch++) {
      for (const hb of d.sources.train.epoch(rng(0, 'paper-rate', epoch), bs)) {
        window.push(
          tf.tidy(() => {
            const x = tf.tensor4d(hb.x, [hb.n, ...d.shape]),
              y = tf.tensor1d(hb.y, 'int32');
            const { value, grads } = tf.variableGrads(() => crossEntropy(forward(model, x, { training: true }), y), params);
            opt.step(Object.fromEntries(Object.entries(model.params).map(([n, v]) => [n, grads[v.name]])), p.original.lr);
            return value;
          }),
        );
        steps++;
        seen += hb.n;
        // Read every 20 steps: Dawn on lavapipe crashed (SIGSEGV) with ≈ 50 unread steps in flight.
        if (steps === 5 || steps % 20 === 0) {
          const vals = await Promise.all(window.map((t) => t.data()));
          loss = vals.reduce((s, v) => s + v[0], 0) / vals.length;
          tf.dispose(window);
          window = [];
          const now = performance.now();
          if (steps === 5) {
            t5 = now;
            seen5 = seen;
          }
          o.onProgress?.(steps, rate(seen - seen5, now - t5), loss);
          if (steps > 5 && (now - start) / 1000 >= maxSeconds) break outer; // ≥ 1 timed window
        }
      }
      epochs++;
    }
    if (window.length) await window[window.length - 1].data();
  } finally {
    tf.dispose(window);
    opt.dispose();
    disposeModel(model);
  }
  const end = performance.now();
  return {
    k,
    batchSize: bs,
    trainExamples: d.splits.train.length,
    steps,
    epochs: epochs + (seen % d.splits.train.length) / d.splits.train.length,
    seconds: (end - start) / 1000,
    imgPerSec: rate(seen - seen5, end - t5),
    loss,
  };
}

const rate = (images: number, ms: number) => (ms > 0 ? images / (ms / 1000) : NaN);

/**
 * Lower bound on the paper profile's training wall time: per goal (privacy, bias), width and seed, the
 * original and the retrained oracle, each for the recipe's epochs over the training split, at the measured
 * img/s of that width (the nearest measured width for unmeasured ones; narrower widths are faster, so this
 * overestimates them). Unlearning runs and evaluations come on top.
 * @example
 * paperHoursLowerBound({ 16: 900, 32: 500, 64: 200 }, 45_000); // hours
 */
export function paperHoursLowerBound(imgPerSecByK: Record<number, number>, trainExamples: number): number {
  const p = getProfile('paper');
  const measured = Object.keys(imgPerSecByK)
    .map(Number)
    .filter((k) => imgPerSecByK[k] > 0);
  if (!measured.length) return NaN;
  const nearest = (k: number) => measured.reduce((a, b) => (Math.abs(b - k) < Math.abs(a - k) ? b : a));
  const seconds = p.widths.reduce((s, k) => s + (2 * 2 * p.seeds.length * p.original.epochs * trainExamples) / imgPerSecByK[nearest(k)], 0);
  return seconds / 3600;
}
