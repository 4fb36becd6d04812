// Each unlearning method shows its defining effect on a tiny real CIFAR-10 problem; no method modifies its
// input model, leaks tensors, or touches the forget set unless it declares so; divergence is reported.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { ensureBackend } from '../lib/backend/select';
import { createModel, disposeModel, forward } from '../lib/models';
import type { Model } from '../lib/models';
import { prepareData, type ExperimentData } from '../lib/experiment/data';
import { unlearnData } from '../lib/experiment/unlearn';
import { crossEntropyLoss } from '../lib/experiment/original';
import { train, type TrainRecipe } from '../lib/train/loop';
import { methods, methodOf, type MethodName } from '../lib/unlearn/registry';
import type { MethodContext, UnlearnData } from '../lib/unlearn/types';
import { predictLogits } from '../lib/metrics/predict';
import { argmaxRows, crossEntropyRows, errorRate, labelsAt } from '../lib/metrics/errors';
import { distillKL } from '../lib/train/losses';
import { DivergenceError } from '../lib/util/errors';
import type { BatchSource } from '../lib/train/source';
import { gatherBatch } from '../lib/data/batches';

const recipe: TrainRecipe = {
  epochs: 15,
  batchSize: 20,
  lr: 0.01,
  schedule: { kind: 'cosine' },
  optimizer: { kind: 'sgd', momentum: 0.9, weightDecay: 5e-4 },
};
let d: ExperimentData;
let original: Model;
let ctx: MethodContext;

before(async () => {
  await ensureBackend();
  d = await prepareData({ dataset: 'cifar10', split: { validation: 50, trainSize: 200, testSize: 100, forget: 20 }, augment: false }, 0);
  original = createModel({ arch: 'cnn4', k: 8, numClasses: 10, inputShape: [32, 32, 3] }, 0);
  await train(original, { ...recipe, seed: 0, phases: [{ name: 'train', source: d.sources.train, loss: crossEntropyLoss }] });
  ctx = { seed: 0, originalRecipe: { ...recipe, epochs: 3 } };
});

const snapshot = (m: Model) => Object.values(m.params).map((v) => Array.from(v.dataSync()));
const forgetLoss = (m: Model) =>
  mean(crossEntropyRows(predictLogits(m, d.train, d.splits.forget), labelsAt(d.splits.trainLabels, d.splits.forget)));
const retainErr = (m: Model) => errorRate(predictLogits(m, d.train, d.splits.retain), labelsAt(d.splits.trainLabels, d.splits.retain));
const l1 = (m: Model) => Object.values(m.params).reduce((s, v) => s + tf.tidy(() => tf.sum(tf.abs(v)).dataSync()[0]), 0);
const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, x) => s + x, 0) / a.length;

async function runMethod(name: MethodName, hp: Record<string, number>, data: UnlearnData = unlearnData(d)): Promise<Model> {
  const m = methodOf(name);
  return m.run(original, data, { ...(m.defaults as Record<string, number>), ...hp } as never, ctx);
}

test('the original memorises the tiny training set', () => {
  assert.ok(retainErr(original) < 0.2, `retain error ${retainErr(original)}`);
});

test('every method leaves its input untouched, frees its tensors, and reads forget only if it declares so', async () => {
  const before = snapshot(original);
  for (const name of Object.keys(methods) as MethodName[]) {
    const tensors = tf.memory().numTensors;
    let forgetReads = 0;
    const spy: BatchSource = {
      size: d.sources.forget.size,
      shape: d.sources.forget.shape,
      epoch: (r, bs) => {
        forgetReads++;
        return d.sources.forget.epoch(r, bs);
      },
    };
    const out = await runMethod(name, { epochs: 1 }, { ...unlearnData(d), forget: spy });
    assert.notEqual(out, original);
    disposeModel(out);
    assert.equal(tf.memory().numTensors, tensors, `${name} leaked tensors`);
    assert.equal(
      forgetReads > 0,
      methods[name].usesForget,
      `${name}: usesForget=${methods[name].usesForget} but read forget ${forgetReads} times`,
    );
  }
  assert.deepEqual(snapshot(original), before);
});

test('gradient ascent and NegGrad+ raise the forget loss', async () => {
  const base = forgetLoss(original);
  const ga = await runMethod('gradAscent', { lr: 0.02, epochs: 5 });
  const ngp = await runMethod('negGradPlus', { lr: 0.01, epochs: 2, beta: 0.5 });
  assert.ok(forgetLoss(ga) > base + 0.5, `GA forget loss ${forgetLoss(ga)} vs ${base}`);
  assert.ok(forgetLoss(ngp) > base + 0.5, `NegGrad+ forget loss ${forgetLoss(ngp)} vs ${base}`);
  [ga, ngp].forEach(disposeModel);
});

test('fine-tune keeps retain accuracy; l1-sparse lowers the weights’ L1 norm below fine-tuning’s', async () => {
  const ft = await runMethod('finetune', { lr: 0.002, epochs: 2 });
  const sp = await runMethod('l1Sparse', { lr: 0.002, epochs: 2, alpha: 0.1 });
  assert.ok(retainErr(ft) <= retainErr(original) + 0.05, `fine-tune retain error ${retainErr(ft)} vs ${retainErr(original)}`);
  assert.ok(l1(sp) < 0.97 * l1(ft), `L1 ${l1(sp)} (l1-sparse) vs ${l1(ft)} (fine-tune)`);
  [ft, sp].forEach(disposeModel);
});

test('SCRUB raises KL(teacher‖student) on forget while retain error stays within 0.15', async () => {
  const s = await runMethod('scrub', { lr: 0.005, epochs: 2, msteps: 2 });
  const kl = tf.tidy(() => {
    const x = tf.tensor4d(gather(d.splits.forget), [d.splits.forget.length, 32, 32, 3]);
    return distillKL(forward(s, x), forward(original, x), 4).dataSync()[0];
  });
  assert.ok(kl > 0.05, `KL on forget ${kl}`);
  assert.ok(retainErr(s) <= retainErr(original) + 0.15, `SCRUB retain error ${retainErr(s)} vs ${retainErr(original)}`);
  disposeModel(s);
});

test('random labels change at least 30% of the forget predictions', async () => {
  const rl = await runMethod('randomLabel', { lr: 0.02, epochs: 3 });
  const p0 = argmaxRows(predictLogits(original, d.train, d.splits.forget));
  const p1 = argmaxRows(predictLogits(rl, d.train, d.splits.forget));
  const changed = p0.filter((c, i) => c !== p1[i]).length / p0.length;
  assert.ok(changed >= 0.3, `only ${changed} of forget predictions changed`);
  disposeModel(rl);
});

test("retrain is, bit for bit, a fresh model of the original's spec trained on the retain set alone with the original's recipe and seed", async () => {
  const rt = await runMethod('retrain', {});
  // The definition (lib/unlearn/methods/retrain.ts): initialise from ctx.seed, not from the original's weights,
  // then the original's recipe (ctx.originalRecipe) on retain only (the phase is named 'retain', which seeds its batch order).
  const scratch = createModel(original.spec, ctx.seed);
  await train(scratch, {
    ...ctx.originalRecipe,
    seed: ctx.seed,
    phases: [{ name: 'retain', source: d.sources.retain, loss: crossEntropyLoss }],
  });
  const all = (m: Model) => [...snapshot(m), ...Object.values(m.buffers).map((v) => Array.from(v.dataSync()))];
  assert.deepEqual(all(rt), all(scratch));
  assert.notDeepEqual(snapshot(rt), snapshot(original), 'not the original');
  [rt, scratch].forEach(disposeModel);
});

test('a diverging method stops with an error naming the method and the step', async () => {
  const m = methodOf('gradAscent');
  await assert.rejects(
    m.run(original, unlearnData(d), { lr: 1e12, epochs: 30 }, { ...ctx, label: 'gradAscent k=8 seed=0' }),
    (e: unknown) =>
      e instanceof DivergenceError &&
      /gradAscent k=8 seed=0: loss is (NaN|-?Infinity) at epoch \d+, phase 'forget', step \d+/.test((e as Error).message),
  );
});

function gather(indices: Int32Array): Float32Array {
  return gatherBatch(d.train, indices).x;
}
