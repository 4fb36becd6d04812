// Shared helpers of the oneDNN backend's kernels: typed-array access to MathBackendCPU storage
// (@tensorflow/tfjs-backend-cpu's data layout) and falling back to the copied pure-JS cpu kernel.
import * as tf from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { BufferPool } from './pool';

/** The tfjs backend name of the native backend. */
export const ONEDNN = 'onednn';

/** A tensor's values as a Float32Array (in place), or undefined when it is not float32 storage. */
export function f32(backend: MathBackendCPU, t: tf.TensorInfo): Float32Array | undefined {
  if (t.dtype !== 'float32') return undefined;
  const v = backend.data.get(t.dataId).values;
  return v instanceof Float32Array ? v : undefined;
}

/**
 * An uninitialised Float32Array of n elements for a kernel that writes every element: recycled from the
 * backend's BufferPool (pool.ts) or, on another backend, newly allocated (Node's Buffer.allocUnsafeSlow:
 * malloc without zero-filling).
 */
export function alloc(backend: MathBackendCPU, n: number): Float32Array {
  const pool = (backend as { pool?: BufferPool }).pool;
  return pool ? pool.alloc(n) : new Float32Array(Buffer.allocUnsafeSlow(n * 4).buffer, 0, n);
}

/** A new float32 tensor in `backend` holding `values` (ownership moves to the backend). */
export function output(backend: MathBackendCPU, shape: number[], values: Float32Array): tf.TensorInfo {
  return backend.makeTensorInfo(shape, 'float32', values);
}

/** The pure-JS cpu kernel a native kernel falls back to for layouts or dtypes it does not handle. */
export function cpuKernel(name: string): tf.KernelFunc {
  const cfg = tf.getKernel(name, 'cpu');
  if (!cfg) throw new Error(`cpu kernel ${name} is not registered`);
  return cfg.kernelFunc;
}
