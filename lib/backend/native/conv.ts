// Conv2D, Conv2DBackpropInput and Conv2DBackpropFilter for the onednn backend: oneDNN convolution primitives
// on NHWC/HWIO data in place (geometry from tfjs-core's backend_util.computeConv2DInfo, like tfjs-backend-cpu).
import * as tf from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { OneDnnAddon } from './addon';
import { alloc, cpuKernel, f32, output } from './util';

type Shape4 = [number, number, number, number];

/** The addon's 17 geometry integers for a NHWC convolution. */
export function convDims(c: tf.backend_util.Conv2DInfo): Int32Array {
  const p = c.padInfo;
  return Int32Array.from([
    c.batchSize,
    c.inHeight,
    c.inWidth,
    c.inChannels,
    c.filterHeight,
    c.filterWidth,
    c.outChannels,
    c.outHeight,
    c.outWidth,
    c.strideHeight,
    c.strideWidth,
    c.dilationHeight,
    c.dilationWidth,
    p.top,
    p.bottom,
    p.left,
    p.right,
  ]);
}

/** Kernel functions bound to an addon; each falls back to the cpu kernel for NCHW, non-float32 or empty tensors. */
export function convKernels(addon: OneDnnAddon): Record<string, tf.KernelFunc> {
  const fwdCpu = cpuKernel(tf.Conv2D),
    dataCpu = cpuKernel(tf.Conv2DBackpropInput),
    filterCpu = cpuKernel(tf.Conv2DBackpropFilter);
  return {
    [tf.Conv2D]: (args) => {
      const backend = args.backend as MathBackendCPU;
      const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
      const a = args.attrs as unknown as tf.Conv2DAttrs;
      const xv = f32(backend, x),
        wv = f32(backend, filter);
      if (!xv || !wv || a.dataFormat === 'NCHW') return fwdCpu(args);
      const c = tf.backend_util.computeConv2DInfo(
        x.shape as Shape4,
        filter.shape as Shape4,
        a.strides,
        a.dilations,
        a.pad,
        a.dimRoundingMode,
        false,
        'channelsLast',
      );
      if (c.batchSize * c.outHeight * c.outWidth * c.outChannels * c.inChannels === 0) return fwdCpu(args);
      const y = alloc(backend, c.batchSize * c.outHeight * c.outWidth * c.outChannels);
      addon.conv2d(xv, wv, y, convDims(c));
      return output(backend, c.outShape, y);
    },
    [tf.Conv2DBackpropInput]: (args) => {
      const backend = args.backend as MathBackendCPU;
      const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
      const a = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
      const dyv = f32(backend, dy),
        wv = f32(backend, filter);
      if (!dyv || !wv || a.dataFormat === 'NCHW') return dataCpu(args);
      const c = tf.backend_util.computeConv2DInfo(
        a.inputShape,
        filter.shape as Shape4,
        a.strides,
        1,
        a.pad,
        a.dimRoundingMode,
        false,
        'channelsLast',
      );
      if (c.batchSize * c.outHeight * c.outWidth * c.outChannels * c.inChannels === 0) return dataCpu(args);
      const dx = alloc(backend, c.batchSize * c.inHeight * c.inWidth * c.inChannels);
      addon.conv2dBackpropInput(dyv, wv, dx, convDims(c));
      return output(backend, [...c.inShape], dx);
    },
    [tf.Conv2DBackpropFilter]: (args) => {
      const backend = args.backend as MathBackendCPU;
      const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const a = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
      const xv = f32(backend, x),
        dyv = f32(backend, dy);
      if (!xv || !dyv || a.dataFormat === 'NCHW') return filterCpu(args);
      const c = tf.backend_util.computeConv2DInfo(
        x.shape as Shape4,
        a.filterShape,
        a.strides,
        1,
        a.pad,
        a.dimRoundingMode,
        false,
        'channelsLast',
      );
      if (c.batchSize * c.outHeight * c.outWidth * c.outChannels * c.inChannels === 0) return filterCpu(args);
      const dw = alloc(backend, c.filterHeight * c.filterWidth * c.inChannels * c.outChannels);
      addon.conv2dBackpropFilter(xv, dyv, dw, convDims(c));
      return output(backend, [...a.filterShape], dw);
    },
  };
}
