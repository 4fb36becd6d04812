// Standard CIFAR augmentation (He et al. 2016; torchvision RandomCrop(32, padding=4) then
// RandomHorizontalFlip): zero-pad, random crop back to size, mirror with probability 1/2 — in plain JS.
import { Rng } from '../util/rng';

/** Augmentation settings. */
export interface AugmentOptions {
  /** Zero padding of the random crop in pixels (default 4; 0 = no crop). */
  pad?: number;
  /** Random horizontal flip with probability 1/2 (default true). */
  flip?: boolean;
}

/** One image's random draw: output pixel (y, x) reads input (y + dy, x' + dx), x' = flip ? W-1-x : x. */
export interface AugmentDraw {
  dy: number;
  dx: number;
  flip: boolean;
}

/** The identity draw (no augmentation). */
export const NO_AUGMENT: AugmentDraw = { dy: 0, dx: 0, flip: false };

/**
 * Draws one image's crop offsets (uniform in [-pad, pad], i.e. the crop's corner uniform over the
 * padded image) and flip.
 * @example
 * drawAugment(rng(0, 'aug'), { pad: 4 }); // e.g. { dy: -2, dx: 3, flip: true }
 */
export function drawAugment(r: Rng, opts: AugmentOptions = {}): AugmentDraw {
  const pad = opts.pad ?? 4;
  const dy = pad > 0 ? r.int(2 * pad + 1) - pad : 0;
  const dx = pad > 0 ? r.int(2 * pad + 1) - pad : 0;
  const flip = (opts.flip ?? true) ? r.next() < 0.5 : false;
  return { dy, dx, flip };
}

/**
 * Writes one augmented, normalised image: reads H*W*C bytes of `src` at `srcOff`, writes H*W*C floats
 * to `dst` at `dstOff`, mapping byte v of channel c through `lut[c*256 + v]`; padding is byte 0
 * (so it becomes lut[c*256], i.e. -mean/std after normalisation, as in torchvision).
 * @example
 * augmentInto(ds.images, i * 3072, 32, 32, 3, draw, lut, x, k * 3072);
 */
export function augmentInto(
  src: Uint8Array,
  srcOff: number,
  H: number,
  W: number,
  C: number,
  d: AugmentDraw,
  lut: Float32Array,
  dst: Float32Array,
  dstOff: number,
): void {
  const row = W * C;
  if (d.dy === 0 && d.dx === 0 && !d.flip) {
    const n = H * row;
    if (C === 3) {
      for (let p = 0; p < n; p += 3) {
        dst[dstOff + p] = lut[src[srcOff + p]];
        dst[dstOff + p + 1] = lut[256 + src[srcOff + p + 1]];
        dst[dstOff + p + 2] = lut[512 + src[srcOff + p + 2]];
      }
    } else {
      for (let p = 0; p < n; p++) dst[dstOff + p] = lut[(p % C) * 256 + src[srcOff + p]];
    }
    return;
  }
  for (let y = 0; y < H; y++) {
    const sy = y + d.dy;
    let o = dstOff + y * row;
    if (sy < 0 || sy >= H) {
      for (let x = 0; x < W; x++) for (let c = 0; c < C; c++) dst[o++] = lut[c * 256];
      continue;
    }
    const srow = srcOff + sy * row;
    if (C === 3) {
      const z0 = lut[0],
        z1 = lut[256],
        z2 = lut[512];
      for (let x = 0; x < W; x++, o += 3) {
        const sx = (d.flip ? W - 1 - x : x) + d.dx;
        if (sx < 0 || sx >= W) {
          dst[o] = z0;
          dst[o + 1] = z1;
          dst[o + 2] = z2;
        } else {
          const s = srow + sx * 3;
          dst[o] = lut[src[s]];
          dst[o + 1] = lut[256 + src[s + 1]];
          dst[o + 2] = lut[512 + src[s + 2]];
        }
      }
      continue;
    }
    for (let x = 0; x < W; x++) {
      const sx = (d.flip ? W - 1 - x : x) + d.dx;
      if (sx < 0 || sx >= W) {
        for (let c = 0; c < C; c++) dst[o++] = lut[c * 256];
      } else {
        const s = srow + sx * C;
        for (let c = 0; c < C; c++) dst[o++] = lut[c * 256 + src[s + c]];
      }
    }
  }
}

/**
 * Augments one uint8 HWC image (no normalisation), e.g. to show augmented examples.
 * @example
 * const out = augmentImage(imageAt(ds, 0), 32, 32, 3, { dy: 4, dx: 0, flip: false }); // top 4 rows are 0
 */
export function augmentImage(img: Uint8Array, H: number, W: number, C: number, d: AugmentDraw): Uint8Array {
  const lut = new Float32Array(C * 256);
  for (let c = 0; c < C; c++) for (let v = 0; v < 256; v++) lut[c * 256 + v] = v;
  const f = new Float32Array(H * W * C);
  augmentInto(img, 0, H, W, C, d, lut, f, 0);
  return Uint8Array.from(f);
}
