// Composing a backend's own registered kernels on TensorInfos inside a kernel (the pattern tfjs backends
// use internally, e.g. tfjs-backend-wasm's Reverse calling Reshape), so project kernels stay backend-native.
import * as tf from '@tensorflow/tfjs-core';

/** Explicit NHWC padding as the Conv2D kernel accepts it: [[0,0],[top,bottom],[left,right],[0,0]]. */
export type Explicit4DPadding = tf.backend_util.ExplicitPadding;

/**
 * Runs kernels registered for one backend on TensorInfos, without creating Tensors or touching the tape.
 * Every TensorInfo it returns is owned by the caller, who releases it with `dispose` (or returns it as a
 * kernel output).
 */
export class KernelComposer {
  private readonly funcs = new Map<string, tf.KernelFunc>();

  constructor(
    readonly backendName: string,
    readonly backend: tf.KernelBackend,
  ) {}

  /** Runs the kernel `name` registered for this backend and returns its (single) output. */
  run(name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): tf.TensorInfo {
    let fn = this.funcs.get(name);
    if (!fn) {
      const config = tf.getKernel(name, this.backendName);
      if (!config) throw new Error(`kernel '${name}' is not registered for backend '${this.backendName}'`);
      fn = config.kernelFunc;
      this.funcs.set(name, fn);
    }
    const out = fn({ inputs, backend: this.backend, attrs });
    return Array.isArray(out) ? out[0] : out;
  }

  /** Releases intermediates (drops one reference each; shared data such as reshapes survive). */
  dispose(...infos: (tf.TensorInfo | undefined)[]): void {
    for (const t of infos) if (t) this.backend.disposeData(t.dataId);
  }

  /** Transpose kernel. */
  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    return this.run(tf.Transpose, { x }, { perm });
  }

  /** Reshape kernel (shares x's data; dispose the result like any other intermediate). */
  reshape(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return this.run(tf.Reshape, { x }, { shape });
  }

  /** PadV2 kernel with zeros. */
  pad(x: tf.TensorInfo, paddings: [number, number][]): tf.TensorInfo {
    return this.run(tf.PadV2, { x }, { paddings, constantValue: 0 });
  }

  /** Slice kernel. */
  slice(x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
    return this.run(tf.Slice, { x }, { begin, size });
  }

  /** Reverse kernel along `dims`. */
  reverse(x: tf.TensorInfo, dims: number[]): tf.TensorInfo {
    return this.run(tf.Reverse, { x }, { dims });
  }

  /** GatherV2 kernel along `axis` with constant int32 indices. */
  gather(x: tf.TensorInfo, indices: number[], axis: number): tf.TensorInfo {
    const idx = this.constInt32(indices);
    const out = this.run(tf.GatherV2, { x, indices: idx }, { axis, batchDims: 0 });
    this.dispose(idx);
    return out;
  }

  /** A 1-D int32 constant written straight into the backend (dispose like any intermediate). */
  constInt32(values: number[]): tf.TensorInfo {
    return { dataId: this.backend.write(Int32Array.from(values), [values.length], 'int32'), shape: [values.length], dtype: 'int32' };
  }

  /** Conv2D kernel (NHWC) with explicit padding; strides and dilations are [h, w]. */
  conv2d(
    x: tf.TensorInfo,
    filter: tf.TensorInfo,
    strides: [number, number],
    dilations: [number, number],
    pad: Explicit4DPadding,
  ): tf.TensorInfo {
    return this.run(tf.Conv2D, { x, filter }, { strides, dilations, pad, dataFormat: 'NHWC' });
  }

  /**
   * Crops or zero-pads the spatial axes (1 and 2) of an NHWC tensor: `rows = [before, after]` adds
   * (positive) or removes (negative) rows at each end, likewise `cols`. Returns x itself, with an extra
   * reference, when nothing changes.
   */
  padOrCrop(x: tf.TensorInfo, rows: [number, number], cols: [number, number]): tf.TensorInfo {
    const [b, h, w, c] = x.shape;
    let cur = x;
    if (rows[0] < 0 || rows[1] < 0 || cols[0] < 0 || cols[1] < 0) {
      const top = Math.max(0, -rows[0]),
        left = Math.max(0, -cols[0]);
      const hh = h - top - Math.max(0, -rows[1]),
        ww = w - left - Math.max(0, -cols[1]);
      cur = this.slice(x, [0, top, left, 0], [b, hh, ww, c]);
    }
    if (rows[0] > 0 || rows[1] > 0 || cols[0] > 0 || cols[1] > 0) {
      const padded = this.pad(cur, [
        [0, 0],
        [Math.max(0, rows[0]), Math.max(0, rows[1])],
        [Math.max(0, cols[0]), Math.max(0, cols[1])],
        [0, 0],
      ]);
      if (cur !== x) this.dispose(cur);
      cur = padded;
    }
    return cur === x ? this.reshape(x, x.shape) : cur;
  }
}
