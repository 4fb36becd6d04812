// Per-channel input normalisation (x/255 - mean) / std, as torchvision's ToTensor + Normalize, via a
// 256-entry lookup table per channel; the published statistics of the registered data sets (lib/data/registry.ts
// assigns them) and a helper to compute them for a new one.
import { ImageDataset, imageSize } from './types';

/** Per-channel mean and standard deviation of x/255. */
export interface Normalization {
  mean: readonly number[];
  std: readonly number[];
}

/**
 * CIFAR-10 training-set statistics of x/255 over the 50,000 official training images (the exact per-channel std
 * over all pixels, as in kuangliu/pytorch-cifar issues #8 and #19 and the PyTorch CIFAR-10 tutorial since
 * pytorch/tutorials#2405; the often-copied (0.2023, 0.1994, 0.2010) is a different statistic).
 */
export const CIFAR10_NORMALIZATION: Normalization = { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616] };
/**
 * Fashion-MNIST training-set statistics of x/255 over its 60,000 training images (as computed in e.g.
 * ContinualAI/avalanche#555; MNIST's (0.1307, 0.3081), often reused for it, belong to another data set).
 */
export const FASHION_MNIST_NORMALIZATION: Normalization = { mean: [0.286], std: [0.353] };
/**
 * ImageNet statistics of x/255 (torchvision's pretrained models and pytorch/examples imagenet/main.py), the
 * customary normalisation of Tiny ImageNet, a 64x64 subset of ImageNet's classes.
 */
export const IMAGENET_NORMALIZATION: Normalization = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
/** No normalisation beyond x/255. */
export const UNIT_NORMALIZATION: Normalization = { mean: [0], std: [1] };

/**
 * The normalisation by channel count alone, for data sets outside the registry (test fixtures, ad-hoc image
 * folders; registered ones get their own through normalizationOf): CIFAR-10's for 3, Fashion-MNIST's for 1.
 * Pass `normalize` (e.g. computeNormalization(train)) for a new data set instead.
 * @example
 * defaultNormalization(3) === CIFAR10_NORMALIZATION; // true
 */
export function defaultNormalization(channels: number): Normalization {
  if (channels === 3) return CIFAR10_NORMALIZATION;
  if (channels === 1) return FASHION_MNIST_NORMALIZATION;
  throw new RangeError(`no default normalisation for ${channels} channels; pass one`);
}

/**
 * Lookup table: entry c*256 + v is (v/255 - mean[c]) / std[c]. A normalisation with one value is
 * used for every channel; `false` means x/255.
 * @example
 * const lut = normalizationLut(CIFAR10_NORMALIZATION, 3); lut[0 * 256 + 255]; // (1 - 0.4914) / 0.2470
 */
export function normalizationLut(norm: Normalization | false, channels: number): Float32Array {
  const n = norm === false ? UNIT_NORMALIZATION : norm;
  const lut = new Float32Array(channels * 256);
  for (let c = 0; c < channels; c++) {
    const mean = n.mean.length === 1 ? n.mean[0] : n.mean[c];
    const std = n.std.length === 1 ? n.std[0] : n.std[c];
    if (mean === undefined || !(std > 0)) {
      throw new RangeError(
        `normalisation needs 1 or ${channels} means and positive stds, got ` + `mean [${n.mean.join(', ')}], std [${n.std.join(', ')}]`,
      );
    }
    for (let v = 0; v < 256; v++) lut[c * 256 + v] = (v / 255 - mean) / std;
  }
  return lut;
}

/**
 * Per-channel mean and std of x/255 over `indices` (default all images): what to pass as `normalize`
 * for a new data set.
 * @example
 * computeNormalization(train); // ≈ CIFAR10_NORMALIZATION for CIFAR-10
 */
export function computeNormalization(ds: ImageDataset, indices?: ArrayLike<number>): Normalization {
  const C = ds.channels;
  const hist = new Float64Array(C * 256);
  const size = imageSize(ds);
  const count = indices ? indices.length : ds.n;
  for (let j = 0; j < count; j++) {
    const i = indices ? indices[j] : j;
    const off = i * size;
    for (let p = 0; p < size; p++) hist[(p % C) * 256 + ds.images[off + p]]++;
  }
  const mean: number[] = [];
  const std: number[] = [];
  for (let c = 0; c < C; c++) {
    let n = 0,
      s = 0,
      s2 = 0;
    for (let v = 0; v < 256; v++) {
      const h = hist[c * 256 + v];
      const x = v / 255;
      n += h;
      s += h * x;
      s2 += h * x * x;
    }
    const m = s / n;
    mean.push(m);
    std.push(Math.sqrt(Math.max(0, s2 / n - m * m)));
  }
  return { mean, std };
}
