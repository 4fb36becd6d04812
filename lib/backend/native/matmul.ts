// BatchMatMul for the onednn backend: oneDNN sgemm on row-major data in place, with TF.js's batch
// broadcasting when one side has batch 1 (else the cpu kernel); semantics as tfjs-backend-cpu's BatchMatMul.
import * as tf from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { OneDnnAddon } from './addon';
import { alloc, cpuKernel, f32, output } from './util';

export function matMulKernels(addon: OneDnnAddon): Record<string, tf.KernelFunc> {
  const cpu = cpuKernel(tf.BatchMatMul);
  return {
    [tf.BatchMatMul]: (args) => {
      const backend = args.backend as MathBackendCPU;
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
      const av = f32(backend, a),
        bv = f32(backend, b);
      if (!av || !bv) return cpu(args);
      const ra = a.shape.length,
        rb = b.shape.length;
      const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
      const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
      const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
      const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
      const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2)),
        batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
      const batch = Math.max(batchA, batchB);
      if (k !== kb || (batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) return cpu(args);
      const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
      if (k === 0 || m === 0 || n === 0) return output(backend, [...outer, m, n], new Float32Array(batch * m * n));
      const c = alloc(backend, batch * m * n);
      addon.batchMatMul(av, bv, c, Int32Array.from([batch, batchA, batchB, m, n, k, transposeA ? 1 : 0, transposeB ? 1 : 0]));
      return output(backend, [...outer, m, n], c);
    },
  };
}
