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
export function conv2dBackpropFilterViaConv(
  k: KernelComposer,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  attrs: tf.Conv2DBackpropFilterAttrs,
): tf.TensorInfo {
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
  let grad = k.conv2d(
    xT,
    dyT,
    [1, 1],
    [sh, sw],
    [
      [0, 0],
      [top, Math.max(0, bottom)],
      [left, Math.max(0, right)],
      [0, 0],
    ],
  );
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

/**
 * Input gradient dx for an NHWC conv with dilation 1, as forward convolutions:
 * - 1×1 kernels: the 1×1 convolution of dy with the transposed filter, zero-dilated by the stride;
 * - otherwise (any stride, padding): one stride-1 convolution of dy whose sh·sw output-channel blocks are
 *   the output phases of dx (sub-pixel decomposition: rows h ≡ r mod sh, columns likewise), each with its
 *   flipped sub-filter, then interleaved by a transpose. That costs about (⌈k/s⌉·s/k)² forward-conv
 *   MACs (16/9 for 3×3, stride 2) instead of the s² of convolving the zero-dilated dy; for stride 1 it is
 *   the usual transposed convolution (flipped, in/out-transposed filter).
 * Returns undefined for layouts it does not handle (NCHW), so callers can fall back.
 */
export function conv2dBackpropInputViaConv(
  k: KernelComposer,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  attrs: tf.Conv2DBackpropInputAttrs,
): tf.TensorInfo | undefined {
  const g = geometry(attrs.inputShape, filter.shape as Shape4, attrs);
  if (g.dataFormat !== 'channelsLast') return undefined;
  const { filterHeight: kh, filterWidth: kw, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow } = g;
  const { strideHeight: sh, strideWidth: sw } = g;
  const { top, left } = g.padInfo;
  if (kh === 1 && kw === 1) {
    // dx row h = i·sh − top for dy row i: dilate, then keep rows [top, top + h).
    const wT = k.transpose(filter, [0, 1, 3, 2]);
    const z = k.conv2d(
      dy,
      wT,
      [1, 1],
      [1, 1],
      [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
      ],
    );
    const zd = zeroDilate(k, z, sh, sw);
    const out = k.padOrCrop(zd, [-top, h + top - oh * sh], [-left, w + left - ow * sw]);
    k.dispose(wT, z, zd);
    return out;
  }
  return phaseConvInput(k, dy, filter, g);
}

/** Inserts stride−1 zeros after every row/column of an NHWC tensor: [B,H,W,C] → [B,H·sh,W·sw,C]. */
function zeroDilate(k: KernelComposer, t: tf.TensorInfo, sh: number, sw: number): tf.TensorInfo {
  const [b, h, w, c] = t.shape;
  if (sh === 1 && sw === 1) return k.reshape(t, t.shape);
  const r = k.reshape(t, [b, h, 1, w, 1, c]);
  const p = k.pad(r, [
    [0, 0],
    [0, 0],
    [0, sh - 1],
    [0, 0],
    [0, sw - 1],
    [0, 0],
  ]);
  const out = k.reshape(p, [b, h * sh, w * sw, c]);
  k.dispose(r, p);
  return out;
}

/** One spatial axis of the phase decomposition: dy window and filter taps for every output phase. */
interface PhaseAxis {
  /** Number of phases (the stride). */
  s: number;
  /** Window length: phase rows m read dy rows m + lo … m + lo + len − 1. */
  len: number;
  lo: number;
  hi: number;
  /** Phase rows per phase, ⌈size / s⌉. */
  m: number;
  /** taps[r·len + j] = filter index for phase r at window position j, or k (a zero tap). */
  taps: number[];
}

/**
 * dx[h] = Σ_p dy[(h + pad − p)/s]·w[p] over p ≡ h + pad (mod s). For phase r (h = m·s + r) the taps are
 * p = r' + t·s with r' = (r + pad) mod s, t < ⌈(k − r')/s⌉, reading dy row m + δ − t, δ = ⌊(r + pad)/s⌋.
 */
function phaseAxis(k: number, s: number, pad: number, size: number): PhaseAxis {
  const per = Array.from({ length: s }, (_, r) => {
    const first = (r + pad) % s;
    return { first, delta: Math.floor((r + pad) / s), count: Math.max(0, Math.ceil((k - first) / s)) };
  });
  const used = per.filter((q) => q.count > 0);
  const lo = Math.min(...used.map((q) => q.delta - q.count + 1));
  const hi = Math.max(...used.map((q) => q.delta));
  const len = hi - lo + 1;
  const taps: number[] = [];
  for (const q of per) {
    for (let j = 0; j < len; j++) {
      const t = q.delta - lo - j;
      taps.push(t >= 0 && t < q.count ? q.first + t * s : k);
    }
  }
  return { s, len, lo, hi, m: Math.ceil(size / s), taps };
}

/**
 * Strided (or not) input gradient by output phases: all sh·sw phases run as one stride-1 conv of dy with
 * sh·sw·C output channels (filter gathered from w with a zero tap appended), then a transpose
 * interleaves them (wasm's DepthToSpace kernel was 10x slower than its Transpose for this).
 */
function phaseConvInput(k: KernelComposer, dy: tf.TensorInfo, filter: tf.TensorInfo, g: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { filterHeight: kh, filterWidth: kw, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow, inChannels: c, outChannels: o } = g;
  const ry = phaseAxis(kh, g.strideHeight, g.padInfo.top, h);
  const rx = phaseAxis(kw, g.strideWidth, g.padInfo.left, w);
  // Filter [kh,kw,C,O] + zero tap → [sh·lenH, sw·lenW, C, O] → [lenH, lenW, O, (sh, sw, C)].
  const wz = k.pad(filter, [
    [0, 1],
    [0, 1],
    [0, 0],
    [0, 0],
  ]);
  const rows = k.gather(wz, ry.taps, 0);
  const taps = k.gather(rows, rx.taps, 1);
  const split = k.reshape(taps, [ry.s, ry.len, rx.s, rx.len, c, o]);
  const arranged = k.transpose(split, [1, 3, 5, 0, 2, 4]);
  const wPhases = k.reshape(arranged, [ry.len, rx.len, o, ry.s * rx.s * c]);
  // Phase row m reads dy rows m + lo … m + hi: pad (or crop) dy so rows 0 … m−1 are all computed.
  const crop = k.padOrCrop(
    dy,
    [Math.min(0, -ry.lo), Math.min(0, ry.m + ry.hi - oh)],
    [Math.min(0, -rx.lo), Math.min(0, rx.m + rx.hi - ow)],
  );
  const phases = k.conv2d(
    crop,
    wPhases,
    [1, 1],
    [1, 1],
    [
      [0, 0],
      [Math.max(0, -ry.lo), Math.max(0, ry.m + ry.hi - oh)],
      [Math.max(0, -rx.lo), Math.max(0, rx.m + rx.hi - ow)],
      [0, 0],
    ],
  );
  k.dispose(wz, rows, taps, split, arranged, wPhases, crop);
  if (ry.s === 1 && rx.s === 1) return phases;
  const b = phases.shape[0];
  const split6 = k.reshape(phases, [b, ry.m, rx.m, ry.s, rx.s, c]);
  const interleaved = k.transpose(split6, [0, 1, 3, 2, 4, 5]);
  const full = k.reshape(interleaved, [b, ry.m * ry.s, rx.m * rx.s, c]);
  const out = k.padOrCrop(full, [0, h - ry.m * ry.s], [0, w - rx.m * rx.s]);
  k.dispose(phases, split6, interleaved, full);
  return out;
}
