// Benchmark of the project's training kernels (lib/backend/kernels, lib/backend/batchnorm) on wasm: per-kernel
// timings and the training throughput of a small conv net with BN, naive path vs project path.
// Run: npx tsx bench/kernels.ts [--quick]   (single-threaded; on a shared machine compare ratios, not absolutes)
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-wasm';
import { batchNormTrain } from '../lib/backend/batchnorm';
import { registerProjectKernel, unregisterProjectKernel } from '../lib/backend/kernels';

const quick = process.argv.includes('--quick');
/** Explicit padding 1, as lib/models/layers.ts pads 3x3 convs. */
const PAD1: tf.backend_util.ExplicitPadding = [
  [0, 0],
  [1, 1],
  [1, 1],
  [0, 0],
];

/** Mean milliseconds per call of f (after one warm-up call). */
function timeMs(f: () => void, reps: number): number {
  f();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) f();
  return (performance.now() - t0) / reps;
}

/**
 * The "naive" filter gradient: a direct JavaScript loop over wasm memory (read out, accumulate rank-1
 * updates, write back), standing in for a pure-JS kernel. NHWC, dilation 1.
 */
const jsFilterGrad: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const be = backend as tf.KernelBackend;
  const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const x = inputs.x!,
    dy = inputs.dy!;
  const g = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    a.filterShape,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
  const xv = be.readSync(x.dataId) as Float32Array,
    dyv = be.readSync(dy.dataId) as Float32Array;
  const { batchSize: nb, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, outChannels: o } = g;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = g;
  const { top, left } = g.padInfo;
  const dw = new Float32Array(kh * kw * c * o);
  for (let b = 0; b < nb; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        const dyOff = ((b * oh + i) * ow + j) * o;
        for (let p = 0; p < kh; p++) {
          const r = i * sh + p - top;
          if (r < 0 || r >= h) continue;
          for (let q = 0; q < kw; q++) {
            const s = j * sw + q - left;
            if (s < 0 || s >= w) continue;
            const xOff = ((b * h + r) * w + s) * c;
            const wOff = (p * kw + q) * c * o;
            for (let ci = 0; ci < c; ci++) {
              const xval = xv[xOff + ci];
              const row = wOff + ci * o;
              for (let oi = 0; oi < o; oi++) dw[row + oi] += xval * dyv[dyOff + oi];
            }
          }
        }
      }
  return { dataId: be.write(dw, a.filterShape, 'float32'), shape: a.filterShape, dtype: 'float32' };
};

type Path = 'naive' | 'project conv kernels, tfjs-core BN' | 'project conv kernels + batchNormTrain';

function usePath(path: Path): void {
  unregisterProjectKernel(tf.Conv2DBackpropFilter, 'wasm');
  unregisterProjectKernel(tf.Conv2DBackpropInput, 'wasm');
  if (tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')) tf.unregisterKernel(tf.Conv2DBackpropFilter, 'wasm');
  if (path === 'naive') {
    tf.registerKernel({ kernelName: tf.Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: jsFilterGrad });
  } else {
    registerProjectKernel(tf.Conv2DBackpropFilter, 'wasm');
    registerProjectKernel(tf.Conv2DBackpropInput, 'wasm');
  }
}

/** Small conv net: 3× (conv3x3 → BN → ReLU) with widths 16/32/64, strides 1/2/2, then pool + dense. */
function makeNet() {
  const init = (shape: number[], fanIn: number) =>
    tf.tidy(() => tf.variable(tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 1), Math.sqrt(2 / fanIn))));
  const widths = [3, 16, 32, 64];
  const layers = [1, 2, 3].map((l) => ({
    w: init([3, 3, widths[l - 1], widths[l]], 9 * widths[l - 1]),
    gamma: tf.tidy(() => tf.variable(tf.ones([widths[l]]))),
    beta: tf.tidy(() => tf.variable(tf.zeros([widths[l]]))),
    stride: l === 1 ? 1 : 2,
  }));
  const dense = init([64, 10], 64),
    bias = tf.tidy(() => tf.variable(tf.zeros([10])));
  return { layers, dense, bias, vars: [...layers.flatMap((l) => [l.w, l.gamma, l.beta]), dense, bias] };
}

function trainImgPerSec(path: Path, batch: number, steps: number): number {
  usePath(path);
  const net = makeNet();
  const opt = tf.train.sgd(0.01);
  const x = tf.randomNormal([batch, 32, 32, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
  const labels = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 3) as tf.Tensor1D, 10);
  const loss = () => {
    let h = x as tf.Tensor4D;
    for (const l of net.layers) {
      const z = tf.conv2d(h, l.w as tf.Variable<tf.Rank.R4>, l.stride, PAD1);
      let bn: tf.Tensor4D;
      if (path === 'project conv kernels + batchNormTrain') {
        bn = batchNormTrain(z, l.gamma as tf.Variable<tf.Rank.R1>, l.beta as tf.Variable<tf.Rank.R1>, 1e-5).y;
      } else {
        const { mean, variance } = tf.moments(z, [0, 1, 2]);
        bn = tf.batchNorm4d(
          z,
          mean as tf.Tensor1D,
          variance as tf.Tensor1D,
          l.beta as tf.Variable<tf.Rank.R1>,
          l.gamma as tf.Variable<tf.Rank.R1>,
          1e-5,
        );
      }
      h = tf.relu(bn) as tf.Tensor4D;
    }
    const logits = tf.add(tf.matMul(tf.mean(h, [1, 2]) as tf.Tensor2D, net.dense as tf.Variable<tf.Rank.R2>), net.bias);
    return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
  };
  const step = () =>
    tf.tidy(() => {
      opt.minimize(loss, true)!.dataSync();
    });
  const ms = timeMs(step, steps);
  tf.dispose([x, labels, ...net.vars]);
  opt.dispose();
  return (batch * 1000) / ms;
}

function kernelTimings(): void {
  type Shape4 = [number, number, number, number];
  const cases: [Shape4, Shape4, number, 'valid' | tf.backend_util.ExplicitPadding][] = [
    [[128, 32, 32, 16], [3, 3, 16, 16], 1, PAD1],
    [[128, 32, 32, 16], [3, 3, 16, 32], 2, PAD1],
    [[128, 16, 16, 32], [1, 1, 32, 64], 2, 'valid'],
    [[128, 8, 8, 64], [3, 3, 64, 64], 1, PAD1],
  ];
  console.log('per-kernel ms on wasm (forward Conv2D for scale; "own" = tfjs-backend-wasm kernel):');
  for (const [xs, ws, s, pad] of cases) {
    const x = tf.randomNormal(xs) as tf.Tensor4D,
      w = tf.randomNormal(ws) as tf.Tensor4D;
    const dy = tf.tidy(() => tf.randomNormal(tf.conv2d(x, w, s, pad).shape)) as tf.Tensor4D;
    const reps = quick ? 2 : 4;
    const fwd = timeMs(() => tf.conv2d(x, w, s, pad).dispose(), reps);
    const input = () =>
      (
        tf
          .engine()
          .runKernel(tf.Conv2DBackpropInput, { dy, filter: w }, { strides: s, pad, dataFormat: 'NHWC', inputShape: xs }) as tf.Tensor
      ).dispose();
    const filter = () =>
      (
        tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { strides: s, pad, dataFormat: 'NHWC', filterShape: ws }) as tf.Tensor
      ).dispose();
    usePath('naive');
    const ownInput = timeMs(input, reps);
    usePath('project conv kernels + batchNormTrain');
    const ours = [timeMs(input, reps), timeMs(filter, reps)];
    console.log(
      `  x ${JSON.stringify(xs)} w ${JSON.stringify(ws)} stride ${s} pad ${typeof pad === 'string' ? pad : 1}: Conv2D ${fwd.toFixed(1)} | ` +
        `Conv2DBackpropInput own ${ownInput.toFixed(1)}, project ${ours[0].toFixed(1)} | Conv2DBackpropFilter project ${ours[1].toFixed(1)}`,
    );
    tf.dispose([x, w, dy]);
  }
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  console.log(`backend ${tf.getBackend()}, tfjs-core ${tf.version_core}`);
  kernelTimings();
  const batch = 128,
    steps = quick ? 1 : 3;
  console.log(`training step (forward + backward + SGD), batch ${batch}, 32x32x3, 3 conv+BN layers:`);
  const paths: Path[] = ['naive', 'project conv kernels, tfjs-core BN', 'project conv kernels + batchNormTrain'];
  const results: Record<string, number> = {};
  for (const p of paths) {
    results[p] = trainImgPerSec(p, batch, p === 'naive' ? 1 : steps);
    console.log(`  ${p.padEnd(40)} ${results[p].toFixed(1)} img/s`);
  }
  console.log(`  speed-up of the project path over naive: ${(results[paths[2]] / results[paths[0]]).toFixed(1)}x`);
  console.log(`  (naive = wasm's own Conv2DBackpropInput, a JS-loop Conv2DBackpropFilter, tfjs-core's BN gradient)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
