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
 * Input gradient dx for an NHWC conv with dilation 1, as forward convolutions:
 * - 1×1 kernels: the 1×1 convolution of dy with the transposed filter, zero-dilated by the stride;
 * - stride s > 1 (equal in both axes): one stride-1 convolution of dy whose s·s output-channel blocks are
 *   the s·s output phases (sub-pixel decomposition), each with its flipped sub-filter w[r::s], then
 *   interleaved (a depth-to-space transpose). About (⌈k/s⌉·s/k)² forward-conv MACs (16/9 for 3×3, stride 2) instead of s² for the
 *   zero-dilated form below;
 * - otherwise: the stride-1 convolution of the zero-dilated, padded dy with the spatially flipped,
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
  if (sh === sw && sh > 1) return phaseConvInput(k, dy, filter, g);
  const flipped = k.reverse(filter, [0, 1]);
  const wF = k.transpose(flipped, [0, 1, 3, 2]);
  const dyD = zeroDilate(k, dy, sh, sw);
  const padTop = kh - 1 - top, padLeft = kw - 1 - left;
  const dyC = k.padOrCrop(dyD, [Math.min(0, padTop), Math.min(0, bottom)], [Math.min(0, padLeft), Math.min(0, right)]);
  const out = k.conv2d(dyC, wF, unit, unit, [[0, 0], [Math.max(0, padTop), Math.max(0, bottom)], [Math.max(0, padLeft), Math.max(0, right)], [0, 0]]);
  k.dispose(flipped, wF, dyD, dyC);
  return out;
}

/**
 * Strided input gradient by output phases. With u = h + top = m·s + r, dx[u] = Σ_t dy[m−t]·w[r+t·s]: for each
 * phase r a stride-1 correlation of dy with the flipped taps w[r+(T−1−t)·s] (T = ⌈k/s⌉, missing taps zero),
 * padded T−1 rows on top. All s² phases run as one conv with s²·C output channels, then a transpose
 * interleaves them (wasm's DepthToSpace kernel was 10x slower than its Transpose for this).
 */
function phaseConvInput(k: KernelComposer, dy: tf.TensorInfo, filter: tf.TensorInfo, g: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { filterHeight: kh, filterWidth: kw, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow, inChannels: c, outChannels: o } = g;
  const s = g.strideHeight;
  const { top, left } = g.padInfo;
  const th = Math.ceil(kh / s), tw = Math.ceil(kw / s);
  // Phase rows m cover u ∈ [0, mh·s) ⊇ [top, top + h).
  const mh = Math.ceil((top + h) / s), mw = Math.ceil((left + w) / s);
  // Filter [kh,kw,C,O] → zero-pad to [th·s, tw·s] → [th,s,tw,s,C,O] → flip taps → [th,tw,O,(s,s,C)].
  const padded = k.pad(filter, [[0, th * s - kh], [0, tw * s - kw], [0, 0], [0, 0]]);
  const split = k.reshape(padded, [th, s, tw, s, c, o]);
  const flipped = k.reverse(split, [0, 2]);
  const arranged = k.transpose(flipped, [0, 2, 5, 1, 3, 4]);
  const wPhases = k.reshape(arranged, [th, tw, o, s * s * c]);
  // dy rows beyond mh never reach a needed phase row: crop them, or pad up to mh.
  const dyC = k.padOrCrop(dy, [0, Math.min(0, mh - oh)], [0, Math.min(0, mw - ow)]);
  const bottom = mh - dyC.shape[1], right = mw - dyC.shape[2];
  const phases = k.conv2d(dyC, wPhases, [1, 1], [1, 1], [[0, 0], [th - 1, bottom], [tw - 1, right], [0, 0]]);
  const split6 = k.reshape(phases, [phases.shape[0], mh, mw, s, s, c]);
  const interleaved = k.transpose(split6, [0, 1, 3, 2, 4, 5]);
  const full = k.reshape(interleaved, [phases.shape[0], mh * s, mw * s, c]);
  const out = k.padOrCrop(full, [-top, h + top - mh * s], [-left, w + left - mw * s]);
  k.dispose(padded, split, flipped, arranged, wPhases, dyC, phases, split6, interleaved, full);
  return out;
}
