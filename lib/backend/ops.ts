// Training ops the model code calls (lib/models/layers.ts); implementations follow the references named in
// their own files.
//
// - batchNormTrain(x, gamma, beta, eps = 1e-5) → { y, mean, variance }: training-mode batch norm over all
//   axes but the last (x [B,H,W,C] or [B,C]), normalising with the batch statistics. `y` carries the full
//   batch-norm gradient (through the batch statistics) computed from per-channel reductions, a tf.customGrad
//   op that works on every backend (BN forward+backward about 8x faster than tfjs-core's tf.moments +
//   tf.batchNorm gradient path on wasm for [128,32,32,16], 1.6x on cpu).
//   `mean`/`variance` (biased, like tf.moments) are plain [C] tensors for the running averages.
//   Options: `relu` (a ReLU fused in on onednn), `running` (running statistics updated in the same kernel).
// - batchNormInfer(x, gamma, beta, mean, variance, eps = 1e-5): inference-mode batch norm with stored
//   statistics; batchNormInference(…, relu) is tf.batchNorm (+ ReLU), one native kernel on onednn.
// Convolution gradients need no op here: tf.conv2d's gradient runs the project kernels that
// registerProjectKernels (called by ensureBackend) installs for wasm and cpu.
export { batchNormTrain, batchNormLayerTrain, batchNormInfer, batchNormInference } from './batchnorm';
export type { BatchNormTrainResult, BatchNormTrainOptions } from './batchnorm';
