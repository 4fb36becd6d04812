// Fused training-mode batch normalisation for the onednn backend (Ioffe & Szegedy 2015): the same op as
// lib/backend/batchnorm.ts's batchNormTrain (same results, same gradient formula), computed by two native
// kernels in two memory passes each instead of ~25 element-wise kernels; optionally with the ReLU that follows
// (forward y = max(0, ·), backward masked by step(y)) and the running-statistics update fused in.
import * as tf from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { BatchNormTrainOptions, BatchNormTrainResult } from '../batchnorm';
import type { OneDnnAddon } from './addon';
import { alloc, f32, output } from './util';

/**
 * Kernel: inputs x ([..., C]), gamma, beta ([C]) and optionally runMean, runVar; attrs eps, relu, momentum →
 * [y, mean, variance (biased)] and, with running inputs, [runMean', runVar'] (PyTorch's update, unbiased variance).
 */
export const BN_TRAIN = 'UnlearnBatchNormTrain';
/** Kernel: inputs dy, x, mean, variance, gamma and (fused ReLU) y; attrs eps → [dx, dgamma, dbeta]. */
export const BN_TRAIN_GRAD = 'UnlearnBatchNormTrainGrad';

/** True when the active backend has the fused kernels (the onednn backend). */
export function hasFusedBatchNorm(): boolean {
  return !!tf.getKernel(BN_TRAIN, tf.getBackend()) && !!tf.getKernel(BN_TRAIN_GRAD, tf.getBackend());
}

function need(v: Float32Array | undefined, what: string): Float32Array {
  if (!v) throw new Error(`${BN_TRAIN}: ${what} must be float32`);
  return v;
}

/** The two kernels bound to an addon. */
export function batchNormKernels(addon: OneDnnAddon): Record<string, tf.KernelFunc> {
  return {
    [BN_TRAIN]: ({ inputs, backend, attrs }) => {
      const b = backend as MathBackendCPU;
      const { x, gamma, beta, runMean, runVar } = inputs as Record<string, tf.TensorInfo | undefined>;
      const a = attrs as unknown as { eps: number; relu?: boolean; momentum?: number };
      const c = x!.shape[x!.shape.length - 1];
      const xv = need(f32(b, x!), 'x');
      const y = alloc(b, xv.length),
        mean = alloc(b, c),
        variance = alloc(b, c);
      addon.bnTrainForward(xv, need(f32(b, gamma!), 'gamma'), need(f32(b, beta!), 'beta'), y, mean, variance, c, a.eps, a.relu ? 1 : 0);
      const outs = [output(b, [...x!.shape], y), output(b, [c], mean), output(b, [c], variance)];
      if (runMean && runVar) {
        const [rm, rv] = runningUpdate(
          need(f32(b, runMean), 'runMean'),
          need(f32(b, runVar), 'runVar'),
          mean,
          variance,
          xv.length / c,
          a.momentum ?? 0.1,
          (n) => alloc(b, n),
        );
        outs.push(output(b, [...runMean.shape], rm), output(b, [...runVar.shape], rv));
      }
      return outs;
    },
    [BN_TRAIN_GRAD]: ({ inputs, backend, attrs }) => {
      const b = backend as MathBackendCPU;
      const { dy, x, mean, variance, gamma, y } = inputs as Record<string, tf.TensorInfo>;
      const c = x.shape[x.shape.length - 1];
      const xv = need(f32(b, x), 'x');
      const dx = alloc(b, xv.length),
        dgamma = alloc(b, c),
        dbeta = alloc(b, c);
      const args = [
        need(f32(b, dy), 'dy'),
        xv,
        need(f32(b, mean), 'mean'),
        need(f32(b, variance), 'variance'),
        need(f32(b, gamma), 'gamma'),
        dx,
        dgamma,
        dbeta,
      ] as const;
      const eps = (attrs as { eps: number }).eps;
      if (y) addon.bnTrainBackward(...args, c, eps, need(f32(b, y), 'y'));
      else addon.bnTrainBackward(...args, c, eps);
      return [output(b, [...x.shape], dx), output(b, [c], dgamma), output(b, [c], dbeta)];
    },
  };
}

/**
 * PyTorch's running-statistics update in float32, rounding like the tfjs ops it replaces:
 * runMean·(1−m) + mean·m and runVar·(1−m) + variance·(m·N/(N−1)).
 */
function runningUpdate(
  rm: Float32Array,
  rv: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  n: number,
  m: number,
  alloc: (n: number) => Float32Array,
): [Float32Array, Float32Array] {
  const f = Math.fround,
    keep = f(1 - m),
    mm = f(m),
    mv = f(m * (n > 1 ? n / (n - 1) : 1));
  const om = alloc(rm.length),
    ov = alloc(rv.length);
  for (let i = 0; i < rm.length; i++) {
    om[i] = f(f(rm[i] * keep) + f(mean[i] * mm));
    ov[i] = f(f(rv[i] * keep) + f(variance[i] * mv));
  }
  return [om, ov];
}

/**
 * batchNormTrain through the fused kernels (requires `hasFusedBatchNorm()`): normalises x over all axes but
 * the last with the batch statistics, returns them, and backpropagates the full batch-norm gradient
 * dx = γσ⁻¹/N·(N·dy − Σdy − x̂·Σ(dy·x̂)), dγ = Σ(dy·x̂), dβ = Σdy.
 * @example
 * const { y, mean, variance } = fusedBatchNormTrain(h, gamma, beta, 1e-5);
 */
export function fusedBatchNormTrain<T extends tf.Tensor>(
  x: T,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  eps = 1e-5,
  o: BatchNormTrainOptions = {},
): BatchNormTrainResult<T> {
  const { y, kept } = fusedOp(x, gamma, beta, eps, o);
  // The statistics were kept out of the op's internal tidy; hand out clones owned by the caller's scope.
  const [mean, variance, runMean, runVar] = kept.map((t) => tf.clone(t) as tf.Tensor1D);
  tf.dispose(kept);
  return o.running ? { y, mean, variance, running: { mean: runMean, variance: runVar } } : { y, mean, variance };
}

/**
 * The batch-norm layer's training pass on the fused kernels: y (ReLU'd when `relu`), with the running
 * statistics assigned in place — no batch statistics handed out, so no clones (fewer kernel calls a step).
 */
export function fusedBatchNormLayer<T extends tf.Tensor>(
  x: T,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  eps: number,
  relu: boolean,
  running?: { mean: tf.Variable; variance: tf.Variable; momentum: number },
): T {
  const { y, kept } = fusedOp(x, gamma, beta, eps, { relu, running });
  if (running) {
    running.mean.assign(kept[2] as tf.Tensor1D);
    running.variance.assign(kept[3] as tf.Tensor1D);
  }
  tf.dispose(kept);
  return y;
}

/** The custom-gradient op over the fused kernels; returns y and the kept [mean, variance, runMean', runVar']. */
function fusedOp<T extends tf.Tensor>(
  x: T,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  eps: number,
  o: BatchNormTrainOptions,
): { y: T; kept: tf.Tensor[] } {
  const c = x.shape[x.rank - 1];
  if (gamma.size !== c || beta.size !== c) {
    throw new Error(`batchNormTrain: gamma/beta must have ${c} elements (x's last axis), got ${gamma.size} and ${beta.size}`);
  }
  const relu = o.relu === true,
    run = o.running;
  const stash: tf.Tensor[] = [];
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, g, bt] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const inputs: tf.NamedTensorMap = run
      ? { x: xi, gamma: g, beta: bt, runMean: run.mean, runVar: run.variance }
      : { x: xi, gamma: g, beta: bt };
    const [y, mean, variance, ...running] = tf
      .engine()
      .runKernel(BN_TRAIN, inputs, { eps, relu, momentum: run?.momentum ?? 0.1 } as unknown as tf.NamedAttrMap) as tf.Tensor[];
    stash.push(...[mean, variance, ...running].map((t) => tf.keep(t)));
    save(relu ? [xi, mean, variance, g, y] : [xi, mean, variance, g]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sm, sv, sg, sy] = saved;
        const gi: tf.NamedTensorMap = sy
          ? { dy, x: sx, mean: sm, variance: sv, gamma: sg, y: sy }
          : { dy, x: sx, mean: sm, variance: sv, gamma: sg };
        const [dx, dg, db] = tf.engine().runKernel(BN_TRAIN_GRAD, gi, { eps } as unknown as tf.NamedAttrMap) as tf.Tensor[];
        const like = (t: tf.Tensor, shape: number[]) =>
          t.shape.length === shape.length && t.shape.every((n, i) => n === shape[i]) ? t : tf.reshape(t, shape);
        return [dx, like(dg, gamma.shape), like(db, beta.shape)];
      },
    };
  }) as (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor;
  return { y: op(x, gamma, beta) as T, kept: stash };
}

/**
 * Inference batch norm with the stored statistics, then ReLU when `relu`, in one native kernel (FusedBatchNorm
 * with our `relu` attribute; requires `hasFusedBatchNorm()`).
 */
export function fusedBatchNormInfer<T extends tf.Tensor>(
  x: T,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  mean: tf.Tensor,
  variance: tf.Tensor,
  eps: number,
  relu: boolean,
): T {
  return tf.engine().runKernel(tf.FusedBatchNorm, { x, mean, variance, offset: beta, scale: gamma }, {
    varianceEpsilon: eps,
    relu,
  } as unknown as tf.NamedAttrMap) as T;
}
