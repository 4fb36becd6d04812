// Where the time of a training goes (issue: training at kernel speed): one cpu-profile original trained for a
// few epochs through the real trainStep, split into native kernels, other tfjs kernels, JS between kernels,
// optimizer update, batch preparation and evaluation. Run: npx tsx bench/profile-train.ts [--k 4] [--epochs 2]
import { parseArgs } from 'util';
import * as tf from '@tensorflow/tfjs-core';
import { ensureBackend } from '../lib/backend/select';
import { profileKernels } from '../lib/backend/native/profile';
import { isNativeKernel } from '../lib/backend/native/backend';
import { getProfile } from '../lib/experiment/profiles';
import { originalConfig } from '../lib/experiment/configs';
import { prepareData } from '../lib/experiment/data';
import { computeFeatures } from '../lib/experiment/features';
import { createModel, disposeModel } from '../lib/models/model';
import { createOptimizer, type Optimizer } from '../lib/train/optimizer';
import { trainStep } from '../lib/train/loop';
import { crossEntropyLoss } from '../lib/train/cross-entropy-loss';
import { rng } from '../lib/util/rng';

const { values: o } = parseArgs({
  options: {
    k: { type: 'string', default: '4' },
    epochs: { type: 'string', default: '2' },
    profile: { type: 'string', default: 'cpu' },
    json: { type: 'boolean', default: false },
  },
});

async function main() {
  const info = await ensureBackend();
  const profile = getProfile(o.profile);
  const cfg = await originalConfig(profile, { goal: 'privacy', k: Number(o.k), seed: 0 });
  const d = await prepareData(cfg.data, 0);
  const model = createModel(cfg.model, 0);
  const inner = createOptimizer(model.params, cfg.recipe.optimizer);
  const nativeSet = new Set(
    tf
      .getKernelsForBackend(info.tfBackend)
      .map((c) => c.kernelName)
      .filter((n) => isNativeKernel(n)),
  );
  const prof = profileKernels(info.tfBackend);
  const kernelMs = () => prof.report().reduce((s, r) => s + r.ms, 0);
  let optMs = 0,
    optKernelMs = 0,
    nativeOpt = 0;
  const nativeMs = () =>
    prof
      .report()
      .filter((r) => nativeSet.has(r.kernel))
      .reduce((s, r) => s + r.ms, 0);
  const opt: Optimizer = Object.assign(Object.create(inner), {
    step(g: Record<string, tf.Tensor>, lr: number) {
      const t0 = performance.now(),
        k0 = kernelMs(),
        n0 = nativeMs();
      inner.step(g, lr);
      optMs += performance.now() - t0;
      optKernelMs += kernelMs() - k0;
      nativeOpt += nativeMs() - n0;
    },
  });
  const epochs = Number(o.epochs),
    bs = cfg.recipe.batchSize;
  // Warm-up step (primitive creation) outside the measurement.
  const warm = d.sources.train.epoch(rng(0, 'warm'), bs)[Symbol.iterator]().next().value!;
  tf.dispose(
    Object.values(
      trainStep({
        model,
        optimizer: opt,
        phase: { loss: crossEntropyLoss },
        input: { batch: warm, extra: {}, shape: d.sources.train.shape, extraShapes: {} },
        lr: 0.01,
      }),
    ),
  );
  prof.reset();
  optMs = 0;
  optKernelMs = 0;
  nativeOpt = 0;
  let batchMs = 0,
    stepMs = 0,
    steps = 0;
  const t0 = performance.now();
  for (let e = 0; e < epochs; e++) {
    const it = d.sources.train.epoch(rng(0, 'epoch', e, 'train'), bs)[Symbol.iterator]();
    for (;;) {
      const b0 = performance.now();
      const n = it.next();
      batchMs += performance.now() - b0;
      if (n.done) break;
      const s0 = performance.now();
      tf.dispose(
        Object.values(
          trainStep({
            model,
            optimizer: opt,
            phase: { loss: crossEntropyLoss },
            input: { batch: n.value, extra: {}, shape: d.sources.train.shape, extraShapes: {} },
            lr: 0.01,
          }),
        ),
      );
      stepMs += performance.now() - s0;
      steps++;
    }
  }
  const trainMs = performance.now() - t0;
  const kernels = prof.report();
  const native = kernels.filter((r) => nativeSet.has(r.kernel)).reduce((s, r) => s + r.ms, 0);
  const allK = kernels.reduce((s, r) => s + r.ms, 0);
  const calls = kernels.reduce((s, r) => s + r.calls, 0);
  prof.reset();
  const e0 = performance.now();
  await computeFeatures(model, d);
  const evalMs = performance.now() - e0;
  const evalKernels = kernelMs();
  prof.stop();
  const perStep = (x: number) => x / steps;
  const rows = {
    'kernels, forward + backward': perStep(allK - optKernelMs),
    '  of which native (oneDNN addon)': perStep(native - nativeOpt),
    'JS + tfjs bookkeeping, forward + backward': perStep(stepMs - optMs - (allK - optKernelMs)),
    'optimizer kernels': perStep(optKernelMs),
    'optimizer JS + bookkeeping': perStep(optMs - optKernelMs),
    'batch preparation (host)': perStep(batchMs),
    'step total (excl. batch preparation)': perStep(stepMs),
  };
  const out = {
    backend: info.choice,
    threads: process.env.UNLEARN_THREADS ?? '1',
    k: cfg.model.k,
    steps,
    batch: bs,
    trainSeconds: trainMs / 1000,
    imgPerSec: (steps * bs) / (trainMs / 1000),
    kernelCallsPerStep: calls / steps,
    msPerStep: rows,
    evaluation: { seconds: evalMs / 1000, kernelSeconds: evalKernels / 1000 },
    topKernels: kernels.slice(0, 14).map((r) => ({ ...r, msPerStep: r.ms / steps, native: nativeSet.has(r.kernel) })),
  };
  if (o.json) {
    console.log(JSON.stringify(out));
    return;
  }
  console.log(
    `${out.backend} threads=${out.threads} k=${out.k}: ${steps} steps of ${bs}, ${out.trainSeconds.toFixed(2)} s, ${out.imgPerSec.toFixed(0)} img/s, ${out.kernelCallsPerStep.toFixed(0)} kernel calls/step`,
  );
  for (const [k, v] of Object.entries(rows))
    console.log(`  ${k.padEnd(42)} ${v.toFixed(2).padStart(8)} ms  ${((100 * v) / perStep(stepMs + batchMs)).toFixed(1).padStart(5)}%`);
  console.log(`  evaluation: ${out.evaluation.seconds.toFixed(2)} s (${out.evaluation.kernelSeconds.toFixed(2)} s in kernels)`);
  console.table(
    out.topKernels.map((r) => ({ kernel: r.kernel, native: r.native, calls: r.calls / steps, msPerStep: +r.msPerStep.toFixed(3) })),
  );
  disposeModel(model);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
