// The optional native CPU backend ('onednn'): public entry points (registration, addon status, kernel list).
export { registerOneDnnBackend, oneDnnKernelNames, isNativeKernel, OneDnnBackend } from './backend';
export { threadCount } from './threads';
export { requestedPrecision, precisions, type Precision } from './precision';
export { loadAddon, addonLoadError, addonPath } from './addon';
export type { OneDnnAddon } from './addon';
export { ONEDNN } from './util';
export { hasFusedOptimizer, OPTIMIZER_STEP, type FusedStepAttrs } from './optimizer';
export { fusedBatchNormTrain, hasFusedBatchNorm, BN_TRAIN, BN_TRAIN_GRAD } from './batchnorm';
export { shareSavedTensors } from './saved';
