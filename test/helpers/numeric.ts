// Numeric helpers of the kernel tests: seeded inputs, outputs of a computation on one backend, and
// max |got − ref| / max |ref| (the issues' "relative error").
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { rng } from '../../lib/util/rng';

/** max |got − ref| / max |ref| (0 when both are all zero; equal NaN/±Infinity count as equal, unequal as Infinity). */
export function relErr(got: ArrayLike<number>, ref: ArrayLike<number>): number {
  assert.equal(got.length, ref.length, 'lengths differ');
  let m = 0,
    e = 0;
  for (let i = 0; i < ref.length; i++) {
    if (Object.is(got[i], ref[i]) || got[i] === ref[i]) continue;
    if (!Number.isFinite(ref[i]) || !Number.isFinite(got[i])) return Infinity;
    e = Math.max(e, Math.abs(got[i] - ref[i]));
  }
  for (let i = 0; i < ref.length; i++) if (Number.isFinite(ref[i])) m = Math.max(m, Math.abs(ref[i]));
  return m === 0 ? e : e / m;
}

/** Seeded values uniform in [−1, 1) for a tensor of `shape` (`base` picks the generator's seed). */
export function uniformValues(shape: number[], seed: string, base = 11): Float32Array {
  const r = rng(base, seed);
  const a = new Float32Array(shape.reduce((p, q) => p * q, 1));
  for (let i = 0; i < a.length; i++) a[i] = r.next() * 2 - 1;
  return a;
}

/** Runs `f` on `backend` and reads its outputs asynchronously (sync reads of GPU tensors throw on webgpu). */
export async function onBackend(backend: string, f: () => tf.Tensor[]): Promise<Float32Array[]> {
  assert.ok(await tf.setBackend(backend));
  const outs = tf.tidy(f);
  const vals = await Promise.all(outs.map(async (t) => Float32Array.from(await t.data())));
  tf.dispose(outs);
  return vals;
}
