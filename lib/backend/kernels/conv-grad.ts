// Conv2D gradients (Conv2DBackpropFilter, Conv2DBackpropInput) expressed as forward convolutions, following
// Dumoulin & Visin 2016 ("A guide to convolution arithmetic", transposed convolution) and tfjs-core's kernels.
import * as tf from '@tensorflow/tfjs-core';
import { KernelComposer } from './compose';

type Shape4 = [number, number, number, number];

/** Geometry of the forward convolution a gradient belongs to (tfjs-core's own padding rules). */
function geometry(xShape: Shape4, filterShape: Shape4, attrs: tf.Conv2DBackpropFilterAttrs | tf.Conv2DBackpropInputAttrs) {
  const format = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat ?? 'NHWC');
  return tf.backend_util.computeConv2DInfo(xShape, filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, format);
}

/**
 * Filter gradient dW[p,q,c,o] = Σ_{b,i,j} x[b, i·s+p−top, j·s+q−left, c] · dy[b,i,j,o], computed as one
 * forward convolution: input x with batch and channel axes swapped ([C,H,W,B]), filter dy as [OH,OW,B,O],
 * stride 1, dilation = the forward stride; the [C,kh,kw,O] result is transposed to [kh,kw,C,O].
 * Supports NHWC and NCHW, any stride/padding tf.conv2d accepts, dilation 1.
 */
export function conv2dBackpropFilterViaConv(k: KernelComposer, x: tf.TensorInfo, dy: tf.TensorInfo, attrs: tf.Conv2DBackpropFilterAttrs): tf.TensorInfo {
  const g = geometry(x.shape as Shape4, attrs.filterShape, attrs);
  const { filterHeight: kh, filterWidth: kw, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow } = g;
  const { strideHeight: sh, strideWidth: sw, inChannels: c, outChannels: o } = g;
  const { top, left } = g.padInfo;
  // Bottom/right padding that makes the output exactly kh×kw; negative when the forward conv never
  // reaches the last rows (e.g. 'valid', stride 2, even size): pad 0 and crop the output instead.
  const bottom = kh + (oh - 1) * sh - h - top;
  const right = kw + (ow - 1) * sw - w - left;
  const channelsLast = g.dataFormat === 'channelsLast';
  const xT = k.transpose(x, channelsLast ? [3, 1, 2, 0] : [1, 2, 3, 0]);
  const dyT = k.transpose(dy, channelsLast ? [1, 2, 0, 3] : [2, 3, 0, 1]);
  let grad = k.conv2d(xT, dyT, [1, 1], [sh, sw], [[0, 0], [top, Math.max(0, bottom)], [left, Math.max(0, right)], [0, 0]]);
  k.dispose(xT, dyT);
  if (bottom < 0 || right < 0) {
    const cropped = k.slice(grad, [0, 0, 0, 0], [c, kh, kw, o]);
    k.dispose(grad);
    grad = cropped;
  }
  const out = k.transpose(grad, [1, 2, 0, 3]);
  k.dispose(grad);
  return out;
}

/** Inserts stride−1 zeros after every row/column of an NHWC tensor: [B,H,W,C] → [B,H·sh,W·sw,C]. */
function zeroDilate(k: KernelComposer, t: tf.TensorInfo, sh: number, sw: number): tf.TensorInfo {
  const [b, h, w, c] = t.shape;
  if (sh === 1 && sw === 1) return k.reshape(t, t.shape);
  const r = k.reshape(t, [b, h, 1, w, 1, c]);
  const p = k.pad(r, [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
  const out = k.reshape(p, [b, h * sh, w * sw, c]);
  k.dispose(r, p);
  return out;
}

/**
 * Input gradient dx for an NHWC conv with dilation 1. Two forms, both forward convolutions:
 * - 1×1 kernels: dx = the stride-dilated (zero-filled) 1×1 convolution of dy with the transposed filter;
 * - otherwise: dx = the stride-1 convolution of the zero-dilated, padded dy with the spatially flipped,
 *   in/out-transposed filter (the transposed convolution).
 * Returns undefined for layouts it does not handle (NCHW), so callers can fall back.
 */
export function conv2dBackpropInputViaConv(k: KernelComposer, dy: tf.TensorInfo, filter: tf.TensorInfo, attrs: tf.Conv2DBackpropInputAttrs): tf.TensorInfo | undefined {
  const g = geometry(attrs.inputShape, filter.shape as Shape4, attrs);
  if (g.dataFormat !== 'channelsLast') return undefined;
  const { filterHeight: kh, filterWidth: kw, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow } = g;
  const { strideHeight: sh, strideWidth: sw } = g;
  const { top, left } = g.padInfo;
  // With dy zero-dilated to oh·sh rows, dx row r reads dilated rows r+top−(kh−1) … r+top.
  const bottom = h + top - oh * sh;
  const right = w + left - ow * sw;
  const unit: [number, number] = [1, 1];
  if (kh === 1 && kw === 1) {
    const wT = k.transpose(filter, [0, 1, 3, 2]);
    const z = k.conv2d(dy, wT, unit, unit, [[0, 0], [0, 0], [0, 0], [0, 0]]);
    const zd = zeroDilate(k, z, sh, sw);
    const out = k.padOrCrop(zd, [-top, bottom], [-left, right]);
    k.dispose(wT, z, zd);
    return out;
  }
  const flipped = k.reverse(filter, [0, 1]);
  const wF = k.transpose(flipped, [0, 1, 3, 2]);
  const dyD = zeroDilate(k, dy, sh, sw);
  const padTop = kh - 1 - top, padLeft = kw - 1 - left;
  const dyC = k.padOrCrop(dyD, [Math.min(0, padTop), Math.min(0, bottom)], [Math.min(0, padLeft), Math.min(0, right)]);
  const out = k.conv2d(dyC, wF, unit, unit, [[0, 0], [Math.max(0, padTop), Math.max(0, bottom)], [Math.max(0, padLeft), Math.max(0, right)], [0, 0]]);
  k.dispose(flipped, wF, dyD, dyC);
  return out;
}
