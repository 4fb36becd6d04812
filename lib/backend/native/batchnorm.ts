// Fused training-mode batch normalisation for the onednn backend (Ioffe & Szegedy 2015): the same op as
// lib/backend/batchnorm.ts's batchNormTrain (same results, same gradient formula), computed by two native
// kernels in two memory passes each instead of ~25 element-wise kernels.
import * as tf from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { BatchNormTrainResult } from '../batchnorm';
import type { OneDnnAddon } from './addon';
import { alloc, f32, output } from './util';

/** Kernel: inputs x ([..., C]), gamma, beta ([C]); attrs eps → [y, mean, variance (biased)]. */
export const BN_TRAIN = 'UnlearnBatchNormTrain';
/** Kernel: inputs dy, x, mean, variance, gamma; attrs eps → [dx, dgamma, dbeta]. */
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
      const { x, gamma, beta } = inputs as { x: tf.TensorInfo; gamma: tf.TensorInfo; beta: tf.TensorInfo };
      const c = x.shape[x.shape.length - 1];
      const xv = need(f32(b, x), 'x');
      const y = alloc(b, xv.length), mean = alloc(b, c), variance = alloc(b, c);
      addon.bnTrainForward(xv, need(f32(b, gamma), 'gamma'), need(f32(b, beta), 'beta'), y, mean, variance, c, (attrs as { eps: number }).eps);
      return [output(b, [...x.shape], y), output(b, [c], mean), output(b, [c], variance)];
    },
    [BN_TRAIN_GRAD]: ({ inputs, backend, attrs }) => {
      const b = backend as MathBackendCPU;
      const { dy, x, mean, variance, gamma } = inputs as Record<string, tf.TensorInfo>;
      const c = x.shape[x.shape.length - 1];
      const xv = need(f32(b, x), 'x');
      const dx = alloc(b, xv.length), dgamma = alloc(b, c), dbeta = alloc(b, c);
      addon.bnTrainBackward(need(f32(b, dy), 'dy'), xv, need(f32(b, mean), 'mean'), need(f32(b, variance), 'variance'), need(f32(b, gamma), 'gamma'), dx, dgamma, dbeta, c, (attrs as { eps: number }).eps);
      return [output(b, [...x.shape], dx), output(b, [c], dgamma), output(b, [c], dbeta)];
    },
  };
}

/**
 * batchNormTrain through the fused kernels (requires `hasFusedBatchNorm()`): normalises x over all axes but
 * the last with the batch statistics, returns them, and backpropagates the full batch-norm gradient
 * dx = γσ⁻¹/N·(N·dy − Σdy − x̂·Σ(dy·x̂)), dγ = Σ(dy·x̂), dβ = Σdy.
 * @example
 * const { y, mean, variance } = fusedBatchNormTrain(h, gamma, beta, 1e-5);
 */
export function fusedBatchNormTrain<T extends tf.Tensor>(x: T, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): BatchNormTrainResult<T> {
  const c = x.shape[x.rank - 1];
  if (gamma.size !== c || beta.size !== c) {
    throw new Error(`batchNormTrain: gamma/beta must have ${c} elements (x's last axis), got ${gamma.size} and ${beta.size}`);
  }
  const stash: { mean?: tf.Tensor; variance?: tf.Tensor } = {};
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, g, bt] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const [y, mean, variance] = tf.engine().runKernel(BN_TRAIN, { x: xi, gamma: g, beta: bt }, { eps } as unknown as tf.NamedAttrMap) as tf.Tensor[];
    stash.mean = tf.keep(mean);
    stash.variance = tf.keep(variance);
    save([xi, mean, variance, g]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sm, sv, sg] = saved;
        const [dx, dg, db] = tf.engine().runKernel(BN_TRAIN_GRAD, { dy, x: sx, mean: sm, variance: sv, gamma: sg }, { eps } as unknown as tf.NamedAttrMap) as tf.Tensor[];
        return [dx, tf.reshape(dg, gamma.shape), tf.reshape(db, beta.shape)];
      },
    };
  }) as (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor;
  const y = op(x, gamma, beta) as T;
  const kept = [stash.mean!, stash.variance!];
  const [mean, variance] = kept.map((t) => tf.clone(t) as tf.Tensor1D);
  tf.dispose(kept);
  return { y, mean, variance };
}
