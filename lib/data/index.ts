// The data layer's public API (plain typed arrays; no tfjs): data sets, CIFAR-10 cache, other formats,
// splits, normalisation, augmentation and batches.
export * from './types';
export * from './paths';
export * from './checksum';
export * from './fingerprint';
export * from './archive';
export * from './image-header';
export * from './decode';
export * from './cifar-binary';
export * from './cifar10-checks';
export * from './cifar10';
export * from './image-folder';
export * from './tiny-imagenet';
export * from './idx';
export * from './fashion-mnist';
export * from './download';
export * from './splits';
export * from './normalize';
export * from './registry';
export * from './augment';
export * from './batches';
