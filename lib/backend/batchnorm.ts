// Training-mode batch normalisation (Ioffe & Szegedy 2015) with a per-channel-reduction gradient, as a
// tf.customGrad op that works on every backend (instead of tfjs-core's tiling FusedBatchNorm gradient path).
import * as tf from '@tensorflow/tfjs-core';
import { fusedBatchNormInfer, fusedBatchNormLayer, fusedBatchNormTrain, hasFusedBatchNorm } from './native/batchnorm';

/** What `batchNormTrain` returns: the output and the batch statistics (for running averages). */
export interface BatchNormTrainResult<T extends tf.Tensor> {
  /** gamma · (x − mean) / sqrt(variance + eps) + beta, same shape as x; carries the gradient. */
  y: T;
  /** Per-channel batch mean, shape [C]; a plain tensor (no gradient flows through it). */
  mean: tf.Tensor1D;
  /** Per-channel biased batch variance (divided by N, like tf.moments), shape [C]; no gradient. */
  variance: tf.Tensor1D;
  /** The updated running statistics, when `running` was given. */
  running?: { mean: tf.Tensor1D; variance: tf.Tensor1D };
}

/** Options of `batchNormTrain`. */
export interface BatchNormTrainOptions {
  /** Apply a ReLU to the output (fused into the kernels where the backend has them). Default false. */
  relu?: boolean;
  /**
   * Running statistics to update (PyTorch: r ← (1−m)·r + m·batch, the variance unbiased N/(N−1)); the new
   * values come back in `running`, to be assigned by the caller.
   */
  running?: { mean: tf.Tensor; variance: tf.Tensor; momentum: number };
}

/**
 * Per-channel mean of a [N, C] matrix whose rows are `b` equal groups (examples), as a [1, C] row.
 * Each group is reduced with an average pool (XNNPACK on wasm: about 5x faster than a Sum over the leading
 * axis, which transposes first; also faster on cpu), then the [b, C] group means are averaged. The
 * two-level float32 sum is also more accurate than one long running sum.
 */
function channelMean(t: tf.Tensor2D, b: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, c] = t.shape;
    const inner = n / b;
    const perGroup = inner > 1 ? tf.reshape(tf.avgPool(tf.reshape(t, [b, inner, 1, c]) as tf.Tensor4D, [inner, 1], 1, 'valid'), [b, c]) : t;
    return tf.mean(perGroup, 0, true) as tf.Tensor2D;
  });
}

type BnOp = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor;

/**
 * The op itself: tf.customGrad over (x, gamma, beta), computed on x viewed as [N, C]. The batch statistics
 * are computed inside the op and handed out through `stash` (kept; the caller re-tracks them), so they are
 * computed once.
 */
function makeOp(eps: number, stash: { mean?: tf.Tensor; variance?: tf.Tensor }): BnOp {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, gamma, beta] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const c = x.shape[x.rank - 1];
    const n = x.size / c;
    const b = x.rank > 1 ? x.shape[0] : 1;
    const xShape = x.shape,
      gammaShape = gamma.shape;
    const x2 = tf.reshape(x, [n, c]) as tf.Tensor2D;
    const mean = channelMean(x2, b);
    const xc = tf.sub(x2, mean) as tf.Tensor2D;
    const variance = channelMean(tf.square(xc), b);
    const invStd = tf.rsqrt(tf.add(variance, eps));
    const scale = tf.mul(tf.reshape(gamma, [1, c]), invStd);
    const y = tf.reshape(tf.add(tf.mul(xc, scale), tf.reshape(beta, [1, c])), x.shape);
    stash.mean = tf.keep(tf.reshape(mean, [c]));
    stash.variance = tf.keep(tf.reshape(variance, [c]));
    // Intermediates (x included, when it is one) are disposed after the forward pass, so what the
    // gradient needs is saved: the centred xc (saving clones it, a copy on wasm) and per-channel vectors.
    save([xc, invStd, scale]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [xc2, sInvStd, k] = saved as tf.Tensor2D[]; // k = gamma · invStd
          const dy2 = tf.reshape(dy, [n, c]) as tf.Tensor2D;
          const meanDy = channelMean(dy2, b);
          const meanDyXc = channelMean(tf.mul(dy2, xc2) as tf.Tensor2D, b);
          // dx = γσ⁻¹/N·(N·dy − Σdy − x̂·Σ(dy·x̂)) = k·dy − xc·m2 − m1 with per-channel m1 = k·mean(dy),
          // m2 = k·σ⁻²·mean(dy·xc).
          const m1 = tf.mul(k, meanDy);
          const m2 = tf.mul(tf.mul(k, tf.square(sInvStd)), meanDyXc);
          const dx = tf.sub(tf.mul(dy2, k), tf.add(tf.mul(xc2, m2), m1));
          return [
            tf.reshape(dx, xShape),
            tf.reshape(tf.mul(meanDyXc, tf.mul(sInvStd, n)), gammaShape),
            tf.reshape(tf.mul(meanDy, n), gammaShape),
          ];
        }),
    };
  }) as BnOp;
}

/**
 * Training-mode batch normalisation over all axes but the last (NHWC conv features [B,H,W,C] or dense
 * [B,C]): normalises with the batch statistics and returns them for running-average updates. The gradient
 * is the full batch-norm gradient (through the batch statistics) from per-channel reductions:
 * dx = γ·σ⁻¹/N · (N·dy − Σdy − x̂·Σ(dy·x̂)), dγ = Σ(dy·x̂), dβ = Σdy.
 * @param x input, channels last
 * @param gamma scale, shape [C]
 * @param beta offset, shape [C]
 * @param eps variance epsilon (PyTorch's default is 1e-5)
 * @example
 * const { y, mean, variance } = batchNormTrain(h, gamma, beta, 1e-5);
 */
export function batchNormTrain<T extends tf.Tensor>(
  x: T,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  eps = 1e-5,
  o: BatchNormTrainOptions = {},
): BatchNormTrainResult<T> {
  // On the native oneDNN backend one fused kernel does the forward and one the backward pass.
  if (hasFusedBatchNorm()) return fusedBatchNormTrain(x, gamma, beta, eps, o);
  const c = x.shape[x.rank - 1];
  if (gamma.size !== c || beta.size !== c) {
    throw new Error(`batchNormTrain: gamma/beta must have ${c} elements (x's last axis), got ${gamma.size} and ${beta.size}`);
  }
  const stash: { mean?: tf.Tensor; variance?: tf.Tensor } = {};
  const bn = makeOp(eps, stash)(x, gamma, beta) as T;
  const y = o.relu ? (tf.relu(bn) as T) : bn;
  // The statistics were kept out of the op's internal tidy; hand out clones tracked by the current scope
  // ([C]-sized) and drop the kept references, so the caller's tf.tidy owns them.
  const kept = [stash.mean!, stash.variance!];
  const [mean, variance] = kept.map((t) => tf.clone(t) as tf.Tensor1D);
  tf.dispose(kept);
  if (!o.running) return { y, mean, variance };
  const { mean: rm, variance: rv, momentum: m } = o.running;
  const n = x.size / c;
  const running = tf.tidy(() => ({
    mean: tf.add(tf.mul(rm, 1 - m), tf.mul(mean, m)) as tf.Tensor1D,
    variance: tf.add(tf.mul(rv, 1 - m), tf.mul(variance, m * (n > 1 ? n / (n - 1) : 1))) as tf.Tensor1D,
  }));
  return { y, mean, variance, running };
}

/**
 * A batch-norm layer's training pass: `batchNormTrain` (then ReLU when `relu`) with the running statistics
 * assigned in place (PyTorch's update); returns y. The onednn backend does it in its fused kernels.
 * @example
 * const h = batchNormLayerTrain(x, gamma, beta, 1e-5, true, { mean: runMean, variance: runVar, momentum: 0.1 });
 */
export function batchNormLayerTrain<T extends tf.Tensor>(
  x: T,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  eps: number,
  relu: boolean,
  running?: { mean: tf.Variable; variance: tf.Variable; momentum: number },
): T {
  if (hasFusedBatchNorm()) return fusedBatchNormLayer(x, gamma, beta, eps, relu, running);
  const r = batchNormTrain(x, gamma, beta, eps, { relu, running });
  if (r.running && running) {
    running.mean.assign(r.running.mean);
    running.variance.assign(r.running.variance);
  }
  return r.y;
}

/**
 * Inference-mode batch norm with stored statistics as tf.batchNorm computes it, then a ReLU when `relu`: one
 * fused native kernel on the onednn backend, tf.batchNorm (+ tf.relu) elsewhere.
 */
export function batchNormInference<T extends tf.Tensor>(
  x: T,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  mean: tf.Tensor,
  variance: tf.Tensor,
  eps: number,
  relu = false,
): T {
  if (hasFusedBatchNorm() && (x.rank === 4 || x.rank === 2)) return fusedBatchNormInfer(x, gamma, beta, mean, variance, eps, relu);
  const y = tf.batchNorm(x as tf.Tensor4D, mean, variance, beta, gamma, eps) as unknown as T;
  return relu ? (tf.relu(y) as T) : y;
}

/**
 * Inference-mode batch normalisation with stored statistics (no batch statistics, no special gradient):
 * gamma · (x − mean) / sqrt(variance + eps) + beta over the last axis.
 */
export function batchNormInfer<T extends tf.Tensor>(
  x: T,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  mean: tf.Tensor,
  variance: tf.Tensor,
  eps = 1e-5,
): T {
  return tf.tidy(() => {
    const c = x.shape[x.rank - 1];
    const scale = tf.mul(gamma, tf.rsqrt(tf.add(variance, eps)));
    const shift = tf.sub(beta, tf.mul(mean, scale));
    const n = x.size / c;
    return tf.reshape(tf.add(tf.mul(tf.reshape(x, [n, c]), tf.reshape(scale, [1, c])), tf.reshape(shift, [1, c])), x.shape) as T;
  });
}
