// Broadcast plans for the addon's binary kernel: NumPy broadcasting of two shapes (as tfjs-core's
// broadcast_util) collapsed to at most 4 axes, with per-operand element strides (0 where broadcast).
import * as tf from '@tensorflow/tfjs-core';

/** dims[4], strides of a[4], strides of b[4] as one Int32Array (the addon's `plan`), and the output shape. */
export interface BroadcastPlan {
  plan: Int32Array;
  outShape: number[];
  size: number;
}

/**
 * The plan for a op b, or undefined when the shapes collapse to more than 4 axes (callers fall back).
 * Axes of extent 1 are dropped; neighbouring axes where each operand either walks or is broadcast in both
 * are merged.
 * @example
 * broadcastPlan([128, 4], [1, 4]).plan; // dims [1,1,128,4], a strides [0,0,4,1], b [0,0,0,1]
 */
export function broadcastPlan(aShape: number[], bShape: number[]): BroadcastPlan | undefined {
  const outShape = tf.broadcast_util.assertAndGetBroadcastShape(aShape, bShape);
  const rank = outShape.length;
  const a = [...Array(rank - aShape.length).fill(1), ...aShape];
  const b = [...Array(rank - bShape.length).fill(1), ...bShape];
  // Collapsed axes: extent and whether each operand walks along it.
  const axes: { n: number; wa: boolean; wb: boolean }[] = [];
  for (let i = 0; i < rank; i++) {
    const n = outShape[i];
    if (n === 1) continue;
    const wa = a[i] !== 1,
      wb = b[i] !== 1;
    const last = axes[axes.length - 1];
    if (last && last.wa === wa && last.wb === wb) last.n *= n;
    else axes.push({ n, wa, wb });
  }
  if (axes.length > 4) return undefined;
  while (axes.length < 4) axes.unshift({ n: 1, wa: false, wb: false });
  const plan = new Int32Array(12);
  let sa = 1,
    sb = 1;
  for (let i = 3; i >= 0; i--) {
    const ax = axes[i];
    plan[i] = ax.n;
    plan[4 + i] = ax.wa ? sa : 0;
    plan[8 + i] = ax.wb ? sb : 0;
    if (ax.wa) sa *= ax.n;
    if (ax.wb) sb *= ax.n;
  }
  return { plan, outShape, size: tf.util.sizeFromShape(outShape) };
}

/**
 * Reduction over `axes` of `shape` as [outer, reduced, inner], when the reduced axes (ignoring extent-1
 * axes) are contiguous; undefined otherwise.
 */
export function reductionPlan(shape: number[], axes: number[]): { outer: number; reduced: number; inner: number } | undefined {
  const set = new Set(axes);
  let outer = 1,
    reduced = 1,
    inner = 1,
    phase = 0; // 0 before the reduced block, 1 inside, 2 after
  for (let i = 0; i < shape.length; i++) {
    const n = shape[i];
    if (n === 1) continue;
    if (set.has(i)) {
      if (phase === 2) return undefined;
      phase = 1;
      reduced *= n;
    } else if (phase === 0) {
      outer *= n;
    } else {
      phase = 2;
      inner *= n;
    }
  }
  return { outer, reduced, inner };
}
