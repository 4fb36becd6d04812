// The fused optimiser update of the onednn backend: one kernel (one native call) updates every parameter and
// its slots with PyTorch's SGD/Adam rules, replacing ~6 element-wise kernels per parameter (same float32
// arithmetic in the same order as lib/train/optimizer.ts's generic path).
import * as tf from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { OneDnnAddon } from './addon';
import { alloc, f32, output } from './util';

/** Kernel: inputs p0…, g0…, a0… (SGD momentum / Adam m), b0… (Adam v); attrs FusedStepAttrs → [p'…, a'…, b'…]. */
export const OPTIMIZER_STEP = 'UnlearnOptimizerStep';

/** Attributes of one fused update (scalars as the generic path's tfjs scalars would hold them). */
export interface FusedStepAttrs {
  kind: 'sgd' | 'adam';
  count: number;
  lr: number;
  momentum: number;
  weightDecay: number;
  nesterov: boolean;
  beta1: number;
  beta2: number;
  eps: number;
  step: number;
}

/** True when the active backend has the fused update. */
export function hasFusedOptimizer(): boolean {
  return !!tf.getKernel(OPTIMIZER_STEP, tf.getBackend());
}

function need(b: MathBackendCPU, t: tf.TensorInfo | undefined, what: string): Float32Array {
  const v = t && f32(b, t);
  if (!v) throw new Error(`${OPTIMIZER_STEP}: ${what} must be a float32 tensor`);
  return v;
}

/** The kernel bound to an addon. */
export function optimizerKernels(addon: OneDnnAddon): Record<string, tf.KernelFunc> {
  return {
    [OPTIMIZER_STEP]: ({ inputs, backend, attrs }) => {
      const b = backend as MathBackendCPU;
      const a = attrs as unknown as FusedStepAttrs;
      const n = a.count,
        adam = a.kind === 'adam';
      const get = (prefix: string, i: number) => inputs[`${prefix}${i}`] as tf.TensorInfo | undefined;
      const P: Float32Array[] = [],
        G: Float32Array[] = [],
        A: (Float32Array | null)[] = [],
        B: (Float32Array | null)[] = [];
      const PO: Float32Array[] = [],
        AO: (Float32Array | null)[] = [],
        BO: (Float32Array | null)[] = [];
      for (let i = 0; i < n; i++) {
        const p = need(b, get('p', i), `p${i}`);
        P.push(p);
        G.push(need(b, get('g', i), `g${i}`));
        PO.push(alloc(b, p.length));
        const sa = get('a', i),
          sb = get('b', i);
        A.push(sa ? need(b, sa, `a${i}`) : null);
        AO.push(sa ? alloc(b, p.length) : null);
        B.push(sb ? need(b, sb, `b${i}`) : null);
        BO.push(sb ? alloc(b, p.length) : null);
      }
      const hyper = Float32Array.of(
        a.lr,
        a.momentum,
        a.weightDecay,
        a.nesterov ? 1 : 0,
        a.beta1,
        a.beta2,
        a.eps,
        1 - a.beta1,
        1 - a.beta2,
        1 - Math.pow(a.beta1, a.step),
        1 - Math.pow(a.beta2, a.step),
      );
      addon.optimizerStep(adam ? 1 : 0, hyper, P, G, A, B, PO, AO, BO);
      const shape = (i: number) => [...get('p', i)!.shape];
      const outs: tf.TensorInfo[] = PO.map((v, i) => output(b, shape(i), v));
      AO.forEach((v, i) => {
        if (v) outs.push(output(b, shape(i), v));
      });
      BO.forEach((v, i) => {
        if (v) outs.push(output(b, shape(i), v));
      });
      return outs;
    },
  };
}
