// Loader and typings of the optional oneDNN addon (native/, built with node-gyp against Debian's libdnnl 2.6);
// Node-API functions that run in place on Float32Array storage.
import * as path from 'path';
import { chooseWaitPolicy } from './threads';

/** The addon's functions (native/src/addon.cc, eltwise.cc). Arrays are read and written in place. */
export interface OneDnnAddon {
  /** oneDNN version, OpenMP threads and processors, conv layout mode, instruction set of the element-wise loops. */
  info(): {
    dnnl: string;
    threads: number;
    procs: number;
    convLayout: number;
    /** f32, or bf16 (convolution inputs in bfloat16, outputs f32) with the implementation a probe shape got. */
    convPrecision: 'f32' | 'bf16';
    convPrecisionImpl: string;
    isa: string;
  };
  setThreads(n: number): void;
  /**
   * convLayout (0 NHWC in place, 1 oneDNN's blocked layout with reorders), convPrecision (0 f32, 1 bf16; throws
   * when the CPU has no bf16 convolution), mmapThreshold/trimThreshold (glibc mallopt).
   */
  setOption(name: 'convLayout' | 'convPrecision' | 'mmapThreshold' | 'trimThreshold', value: number): void;
  clearCache(): void;
  /** dims: N,H,W,C, KH,KW,O, OH,OW, strideH,strideW, dilationH,dilationW, padTop,padBottom,padLeft,padRight. */
  conv2d(x: Float32Array, filter: Float32Array, y: Float32Array, dims: Int32Array): void;
  conv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, dims: Int32Array): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, dims: Int32Array): void;
  /** dims: batch, batchA, batchB, M, N, K, transposeA, transposeB. */
  batchMatMul(a: Float32Array, b: Float32Array, c: Float32Array, dims: Int32Array): void;
  /** y = f(x) for op codes of eltwise.cc (relu, step(alpha), square, rsqrt, neg, exp, log, sqrt, abs, reciprocal). */
  unary(op: number, x: Float32Array, y: Float32Array, alpha: number): void;
  /** out = a op b over a broadcast plan (broadcast.ts). */
  binary(op: number, a: Float32Array, b: Float32Array, out: Float32Array, plan: Int32Array): void;
  /** y[o, i] = reduce over r of x[o, r, i] (sum, mean, max, min). */
  reduce(op: number, x: Float32Array, y: Float32Array, outer: number, reduced: number, inner: number): void;
  /** Inference batch norm over the last axis with [C] statistics. */
  /** Training batch norm over the last axis (length C): y, mean, biased variance. */
  bnTrainForward(
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    y: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    c: number,
    eps: number,
    relu?: number,
  ): void;
  /** Its gradient: dx, dgamma, dbeta from dy, x and the batch statistics; with y (a fused ReLU's output) dy is masked first. */
  bnTrainBackward(
    dy: Float32Array,
    x: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    gamma: Float32Array,
    dx: Float32Array,
    dgamma: Float32Array,
    dbeta: Float32Array,
    c: number,
    eps: number,
    y?: Float32Array,
  ): void;
  /**
   * One optimiser update of every parameter (optimizer.cc): kind 0 SGD (slotA momentum buffers or nulls), 1 Adam
   * (slotA m, slotB v); hyper = [lr, momentum, weightDecay, nesterov, beta1, beta2, eps, 1−β1, 1−β2, 1−β1^t, 1−β2^t].
   */
  optimizerStep(
    kind: number,
    hyper: Float32Array,
    params: Float32Array[],
    grads: Float32Array[],
    slotA: (Float32Array | null)[],
    slotB: (Float32Array | null)[],
    outParams: Float32Array[],
    outA: (Float32Array | null)[],
    outB: (Float32Array | null)[],
  ): void;
  batchNormInfer(
    x: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    scale: Float32Array | null,
    offset: Float32Array | null,
    y: Float32Array,
    eps: number,
    relu?: number,
  ): void;
}

/** Where the build puts the addon; UNLEARN_ONEDNN_ADDON overrides (a path to a .node file). */
export function addonPath(): string {
  return process.env.UNLEARN_ONEDNN_ADDON || path.resolve(__dirname, '..', '..', '..', 'native', 'build', 'Release', 'unlearn_onednn.node');
}

let loaded: OneDnnAddon | undefined;
let failure: string | undefined;

/** The addon, or undefined when it is not built or cannot load (see `addonLoadError`). Loads once. */
export function loadAddon(): OneDnnAddon | undefined {
  if (loaded || failure) return loaded;
  // libgomp reads its settings when the addon pulls it in (its own default spins 300,000 iterations: ruinous on
  // a busy machine). threads.ts chooses; an explicit OMP_WAIT_POLICY / GOMP_SPINCOUNT wins.
  chooseWaitPolicy();
  try {
    loaded = require(addonPath()) as OneDnnAddon;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    failure = msg.includes('Cannot find module')
      ? `oneDNN addon not built (no ${addonPath()}; build it with: node native/build.js)`
      : `oneDNN addon failed to load: ${msg.split('\n')[0]}`;
  }
  return loaded;
}

/** Why the addon did not load, once `loadAddon` returned undefined. */
export function addonLoadError(): string | undefined {
  loadAddon();
  return failure;
}

/** The addon, throwing the load error when it is unavailable. */
export function requireAddon(): OneDnnAddon {
  const a = loadAddon();
  if (!a) throw new Error(addonLoadError());
  return a;
}
