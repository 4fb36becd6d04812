// Element-wise, broadcast, reduction, pooling-as-reduction and inference batch-norm kernels for the onednn
// backend (the addon's OpenMP loops); semantics of tfjs-backend-cpu's kernels, which they fall back to.
import * as tf from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { OneDnnAddon } from './addon';
import { broadcastPlan, reductionPlan } from './broadcast';
import { alloc, cpuKernel, f32, output } from './util';

/** Op codes of native/src/eltwise.cc. */
const UNARY: Record<string, number> = {
  [tf.Relu]: 0,
  [tf.Step]: 1,
  [tf.Square]: 2,
  [tf.Rsqrt]: 3,
  [tf.Neg]: 4,
  [tf.Exp]: 5,
  [tf.Log]: 6,
  [tf.Sqrt]: 7,
  [tf.Abs]: 8,
  [tf.Reciprocal]: 9,
};
const BINARY: Record<string, number> = { [tf.Add]: 0, [tf.Sub]: 1, [tf.Multiply]: 2, [tf.RealDiv]: 3, [tf.SquaredDifference]: 4 };
const REDUCE: Record<string, number> = { [tf.Sum]: 0, [tf.Mean]: 1, [tf.Max]: 2, [tf.Min]: 3 };

/** Names of the element-wise kernels this module provides. */
export const eltwiseKernelNames = [...Object.keys(UNARY), ...Object.keys(BINARY), ...Object.keys(REDUCE), tf.AvgPool, tf.FusedBatchNorm];

function unaryKernel(addon: OneDnnAddon, name: string): tf.KernelFunc {
  const cpu = cpuKernel(name),
    op = UNARY[name];
  return (args) => {
    const backend = args.backend as MathBackendCPU;
    const x = args.inputs.x as tf.TensorInfo;
    const xv = f32(backend, x);
    if (!xv) return cpu(args);
    const y = alloc(backend, xv.length);
    addon.unary(op, xv, y, name === tf.Step ? ((args.attrs as unknown as tf.StepAttrs).alpha ?? 0) : 0);
    return output(backend, [...x.shape], y);
  };
}

function binaryKernel(addon: OneDnnAddon, name: string): tf.KernelFunc {
  const cpu = cpuKernel(name),
    op = BINARY[name];
  return (args) => {
    const backend = args.backend as MathBackendCPU;
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const av = f32(backend, a),
      bv = f32(backend, b);
    if (!av || !bv) return cpu(args);
    const p = broadcastPlan(a.shape, b.shape);
    if (!p) return cpu(args);
    const out = alloc(backend, p.size);
    if (p.size > 0) addon.binary(op, av, bv, out, p.plan);
    return output(backend, p.outShape, out);
  };
}

function reduceKernel(addon: OneDnnAddon, name: string): tf.KernelFunc {
  const cpu = cpuKernel(name),
    op = REDUCE[name];
  return (args) => {
    const backend = args.backend as MathBackendCPU;
    const x = args.inputs.x as tf.TensorInfo;
    const { axis, keepDims } = args.attrs as unknown as {
      axis?: number | number[];
      reductionIndices?: number | number[];
      keepDims: boolean;
    };
    const axisParam = axis ?? (args.attrs as { reductionIndices?: number | number[] }).reductionIndices;
    const xv = f32(backend, x);
    if (!xv || xv.length === 0) return cpu(args);
    const axes = tf.util.parseAxisParam(axisParam ?? x.shape.map((_, i) => i), x.shape);
    const plan = reductionPlan(x.shape, axes);
    if (!plan) return cpu(args);
    const outShape = keepDims ? x.shape.map((n, i) => (axes.includes(i) ? 1 : n)) : x.shape.filter((_, i) => !axes.includes(i));
    const y = alloc(backend, plan.outer * plan.inner);
    addon.reduce(op, xv, y, plan.outer, plan.reduced, plan.inner);
    return output(backend, outShape, y);
  };
}

/** AvgPool whose window covers the whole (unpadded) input: a mean over the spatial axes. */
function avgPoolKernel(addon: OneDnnAddon): tf.KernelFunc {
  const cpu = cpuKernel(tf.AvgPool);
  return (args) => {
    const backend = args.backend as MathBackendCPU;
    const x = args.inputs.x as tf.TensorInfo;
    const a = args.attrs as unknown as tf.AvgPoolAttrs;
    const xv = f32(backend, x);
    if (!xv || x.shape.length !== 4) return cpu(args);
    const c = tf.backend_util.computePool2DInfo(
      x.shape as [number, number, number, number],
      a.filterSize,
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
    );
    const p = c.padInfo;
    const whole =
      c.outHeight === 1 &&
      c.outWidth === 1 &&
      c.filterHeight === c.inHeight &&
      c.filterWidth === c.inWidth &&
      p.top === 0 &&
      p.bottom === 0 &&
      p.left === 0 &&
      p.right === 0;
    if (!whole) return cpu(args);
    const y = alloc(backend, c.batchSize * c.inChannels);
    addon.reduce(1, xv, y, c.batchSize, c.inHeight * c.inWidth, c.inChannels);
    return output(backend, [c.batchSize, 1, 1, c.inChannels], y);
  };
}

/** FusedBatchNorm (inference batch norm) with per-channel [C] statistics over the last axis; our attr `relu` fuses a ReLU. */
function batchNormKernel(addon: OneDnnAddon): tf.KernelFunc {
  const cpuBn = cpuKernel(tf.FusedBatchNorm),
    cpuRelu = cpuKernel(tf.Relu);
  const cpu = (args: Parameters<tf.KernelFunc>[0]) => {
    const y = cpuBn(args) as tf.TensorInfo;
    if ((args.attrs as { relu?: boolean }).relu !== true) return y;
    const r = cpuRelu({ inputs: { x: y }, backend: args.backend, attrs: {} });
    (args.backend as MathBackendCPU).disposeData(y.dataId);
    return r;
  };
  return (args) => {
    const backend = args.backend as MathBackendCPU;
    const { x, mean, variance, offset, scale } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const eps = (args.attrs as unknown as tf.FusedBatchNormAttrs).varianceEpsilon ?? 0.001;
    const c = x!.shape[x!.shape.length - 1];
    const vals = [x!, mean!, variance!].map((t) => f32(backend, t));
    const opt = [scale, offset].map((t) => (t ? f32(backend, t) : null));
    const perChannel = [mean!, variance!, scale, offset].every((t) => !t || t.shape.reduce((m, n) => m * n, 1) === c);
    if (vals.some((v) => !v) || opt.some((v) => v === undefined) || !perChannel || c === 0) return cpu(args);
    const y = alloc(backend, vals[0]!.length);
    const relu = (args.attrs as { relu?: boolean }).relu === true;
    addon.batchNormInfer(vals[0]!, vals[1]!, vals[2]!, opt[0] ?? null, opt[1] ?? null, y, eps, relu ? 1 : 0);
    return output(backend, [...x!.shape], y);
  };
}

/** The element-wise kernels bound to an addon. */
export function eltwiseKernels(addon: OneDnnAddon): Record<string, tf.KernelFunc> {
  const out: Record<string, tf.KernelFunc> = {};
  for (const n of Object.keys(UNARY)) out[n] = unaryKernel(addon, n);
  for (const n of Object.keys(BINARY)) out[n] = binaryKernel(addon, n);
  for (const n of Object.keys(REDUCE)) out[n] = reduceKernel(addon, n);
  out[tf.AvgPool] = avgPoolKernel(addon);
  out[tf.FusedBatchNorm] = batchNormKernel(addon);
  return out;
}
