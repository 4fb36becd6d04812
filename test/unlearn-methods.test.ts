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
import { cloneModel } from '../lib/models/model';
import { lrAt } from '../lib/train/schedule';
import { scrubMaxLoss, scrubMinLoss, scrubPhases, scrubSchedule } from '../lib/unlearn/methods/scrub';
import { closestToTarget } from '../lib/unlearn/methods/scrub-r';
import { l1AlphaAt, l1SparsePhases } from '../lib/unlearn/methods/l1-sparse';
import { crossEntropyOn } from '../lib/train/cross-entropy-loss';
import type { OptimizerConfig } from '../lib/train/optimizer';

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
  const sp = await runMethod('l1Sparse', { lr: 0.002, epochs: 2, alpha: 0.1, batchSize: ctx.originalRecipe.batchSize });
  assert.ok(retainErr(ft) <= retainErr(original) + 0.05, `fine-tune retain error ${retainErr(ft)} vs ${retainErr(original)}`);
  assert.ok(l1(sp) < 0.97 * l1(ft), `L1 ${l1(sp)} (l1-sparse) vs ${l1(ft)} (fine-tune)`);
  [ft, sp].forEach(disposeModel);
});

test('SCRUB raises KL(teacher‖student) on forget while retain error stays within 0.15', async () => {
  // At the reference's privacy weights (gamma 1, alpha 0.5, forget batch 16), lr 0.005 over-forgets this 180-image
  // retain set (retain error 0.34); 0.002 raises the KL to ≈ 0.1 at the original's retain error.
  const s = await runMethod('scrub', { lr: 0.002, epochs: 2, msteps: 2 });
  const kl = tf.tidy(() => {
    const x = tf.tensor4d(gather(d.splits.forget), [d.splits.forget.length, 32, 32, 3]);
    return distillKL(forward(s, x), forward(original, x), 4).dataSync()[0];
  });
  assert.ok(kl > 0.05, `KL on forget ${kl}`);
  assert.ok(retainErr(s) <= retainErr(original) + 0.15, `SCRUB retain error ${retainErr(s)} vs ${retainErr(original)}`);
  disposeModel(s);
});

test('SCRUB makes ⌈forget / forgetBatch⌉ max-steps of forgetBatch examples in each of its first msteps epochs', async () => {
  const passes: number[][] = [];
  const spy: BatchSource = {
    size: d.sources.forget.size,
    shape: d.sources.forget.shape,
    epoch: function* (r, bs) {
      const sizes: number[] = [];
      passes.push(sizes);
      for (const b of d.sources.forget.epoch(r, bs)) {
        sizes.push(b.n);
        yield b;
      }
    },
  };
  const s = await runMethod('scrub', { epochs: 3, msteps: 2, forgetBatch: 8 }, { ...unlearnData(d), forget: spy });
  assert.equal(d.splits.forget.length, 20);
  assert.deepEqual(passes, [
    [8, 8, 4],
    [8, 8, 4],
  ]);
  disposeModel(s);
});

test("SCRUB's learning rate follows the reference's lr_decay_epochs [3, 5, 9] × 0.1 at every epoch", () => {
  // The reference sets lr·0.1^#{m : e > m} at the start of 1-based epoch e (repdistiller util.py adjust_learning_rate).
  const reference = (e1: number) => 5e-4 * 0.1 ** [3, 5, 9].filter((m) => e1 > m).length;
  const got = Array.from({ length: 11 }, (_, e) => lrAt(scrubSchedule, 5e-4, 0, 1, e));
  const want = [5e-4, 5e-4, 5e-4, 5e-5, 5e-5, 5e-6, 5e-6, 5e-6, 5e-6, 5e-7, 5e-7];
  got.forEach((lr, e) => {
    assert.ok(Math.abs(lr - want[e]) < 1e-18, `epoch ${e}: ${lr} vs ${want[e]}`);
    assert.ok(Math.abs(lr - reference(e + 1)) < 1e-18, `epoch ${e}: ${lr} vs the reference's ${reference(e + 1)}`);
  });
});

/** SCRUB by hand: the shared loop on scrubPhases with SGD momentum 0.9, wd 5e-4 and the epoch-step schedule; its model after every epoch. */
const scrubHp = { ...methods.scrub.defaults, lr: 0.005, epochs: 4, msteps: 1 };
let scrubByHand: Promise<Model[]> | undefined;
const scrubEpochsByHand = (): Promise<Model[]> =>
  (scrubByHand ??= (async () => {
    const m = cloneModel(original);
    const epochs: Model[] = [];
    await train(m, {
      epochs: scrubHp.epochs,
      batchSize: ctx.originalRecipe.batchSize,
      lr: scrubHp.lr,
      schedule: { kind: 'epochStep', milestones: [3, 5, 9], gamma: 0.1 },
      optimizer: { kind: 'sgd', momentum: 0.9, weightDecay: 5e-4 },
      seed: ctx.seed,
      phases: scrubPhases(original, unlearnData(d), scrubHp),
      afterEpoch: () => {
        epochs.push(cloneModel(m));
      },
    });
    disposeModel(m);
    return epochs;
  })());

test('SCRUB is, bit for bit, the shared loop on its phases with SGD momentum 0.9, wd 5e-4 and the epoch-step schedule', async () => {
  // 4 epochs: the 4th (0-based 3) runs at a tenth of the learning rate, so a constant schedule would differ.
  const s = await methods.scrub.run(original, unlearnData(d), scrubHp, ctx);
  assert.deepEqual(snapshot(s), snapshot((await scrubEpochsByHand())[scrubHp.epochs - 1]));
  disposeModel(s);
});

test("SCRUB's losses are gamma·CE + alpha·KL_T·T² (min-step) and −KL_T·T² (max-step), checked by hand", () => {
  // One example, two classes: student logits (0, 0), teacher (2, 0), label 0. CE = ln 2; at T the teacher's
  // softmax is p = σ(2/T), the student's (½, ½): KL = p ln 2p + (1 − p) ln 2(1 − p).
  const kl = (T: number) => {
    const p = 1 / (1 + Math.exp(-2 / T));
    return (p * Math.log(2 * p) + (1 - p) * Math.log(2 * (1 - p))) * T * T;
  };
  assert.ok(Math.abs(kl(2) - 0.44378) < 1e-4, `KL at T = 2 by hand: ${kl(2)}`);
  const value = (f: (s: tf.Tensor2D, t: tf.Tensor2D, y: tf.Tensor1D) => tf.Scalar) =>
    tf.tidy(() => f(tf.tensor2d([[0, 0]]), tf.tensor2d([[2, 0]]), tf.tensor1d([0], 'int32')).dataSync()[0]);
  for (const hp of [
    { gamma: 1, alpha: 0.5, T: 4 },
    { gamma: 0.99, alpha: 0.001, T: 4 },
    { gamma: 0, alpha: 1, T: 2 },
    { gamma: 2, alpha: 0, T: 1 },
  ]) {
    const want = hp.gamma * Math.log(2) + hp.alpha * kl(hp.T);
    const got = value((s, t, y) => scrubMinLoss(s, t, y, hp));
    assert.ok(Math.abs(got - want) < 1e-5, `min-step ${JSON.stringify(hp)}: ${got} vs ${want}`);
  }
  for (const T of [1, 2, 4]) {
    const got = value((s, t) => scrubMaxLoss(s, t, T));
    assert.ok(Math.abs(got + kl(T)) < 1e-5, `max-step T = ${T}: ${got} vs ${-kl(T)}`);
  }
});

test('SCRUB+R keeps the first epoch whose forget error is closest to the target (a forced sequence)', () => {
  assert.equal(closestToTarget([0.02, 0.3, 0.5, 0.45], 0.42), 3);
  assert.equal(closestToTarget([0.0, 0.4, 0.44, 0.9], 0.42), 1, 'a tie keeps the earlier epoch (Python min)');
  assert.equal(closestToTarget([NaN, 0.9, 0.1], 0.2), 2, 'a non-finite error never wins');
  assert.equal(closestToTarget([0.6], 0.1), 0);
  assert.equal(closestToTarget([], 0.1), -1);
});

test("SCRUB+R returns, bit for bit, SCRUB after the epoch whose forget error is closest to the final model's validation error", async () => {
  // One max-step epoch, then min-step epochs that bring the forget error back down: an earlier epoch is kept
  // (forget errors 0.1, 0.35, 0.15, … against a target near 0.8 on onednn).
  const byEpoch = await scrubEpochsByHand();
  const err = (m: Model, idx: Int32Array, labels: Int32Array) => errorRate(predictLogits(m, d.train, idx), labelsAt(labels, idx));
  const forgetErrors = byEpoch.map((m) => err(m, d.splits.forget, d.splits.trainLabels));
  // The target: the final model's error on the validation examples of the classes the forget set holds.
  const forgetClasses = new Set(labelsAt(d.splits.trainLabels, d.splits.forget));
  const validation = d.splits.validation.filter((i) => forgetClasses.has(d.splits.trueLabels[i]));
  const target = err(byEpoch[byEpoch.length - 1], validation, d.splits.trueLabels);
  const want = closestToTarget(forgetErrors, target);
  assert.ok(want < byEpoch.length - 1, `this setting should rewind: forget errors ${forgetErrors}, target ${target}`);
  const kept = await methods.scrubR.run(original, unlearnData(d), scrubHp, ctx);
  assert.deepEqual(snapshot(kept), snapshot(byEpoch[want]), `forget errors ${forgetErrors}, target ${target}: epoch ${want + 1}`);
  [kept, ...byEpoch].forEach(disposeModel);
});

test("NegGrad+ trains, bit for bit, with the reference's plain SGD (no momentum, no weight decay) by default", async () => {
  const hp = { ...methods.negGradPlus.defaults, lr: 0.01, epochs: 1, beta: 0.9 }; // 9 steps: momentum shows from the 2nd
  assert.deepEqual([methods.negGradPlus.defaults.momentum, methods.negGradPlus.defaults.weightDecay], [0, 0]);
  const ngp = await methods.negGradPlus.run(original, unlearnData(d), hp, ctx);
  const withOptimizer = async (optimizer: OptimizerConfig) => {
    const m = cloneModel(original);
    await train(m, {
      epochs: hp.epochs,
      batchSize: ctx.originalRecipe.batchSize,
      lr: hp.lr,
      schedule: { kind: 'constant' },
      optimizer,
      seed: ctx.seed,
      phases: [
        {
          name: 'retain',
          source: d.sources.retain,
          extra: { forget: d.sources.forget },
          loss: ({ model, batch, extra }) => {
            const r = crossEntropyOn(model, batch);
            const f = crossEntropyOn(model, extra.forget);
            return { loss: tf.sub(tf.mul(r.loss, hp.beta), tf.mul(f.loss, 1 - hp.beta)) as tf.Scalar, logits: r.logits };
          },
        },
      ],
    });
    return m;
  };
  const plain = await withOptimizer({ kind: 'sgd', momentum: 0, weightDecay: 0 });
  assert.deepEqual(snapshot(ngp), snapshot(plain));
  const ngpMomentum = await methods.negGradPlus.run(original, unlearnData(d), { ...hp, momentum: 0.9, weightDecay: 5e-4 }, ctx);
  assert.notDeepEqual(snapshot(ngpMomentum), snapshot(plain), 'the optimiser hyperparameters reach the optimiser');
  [ngp, plain, ngpMomentum].forEach(disposeModel);
});

test('l1-sparse weighs the L1 norm by α·(1 − e/E) in epoch e, whatever the progress within it, and never by 0', () => {
  const E = 5;
  const hp = { ...methods.l1Sparse.defaults, alpha: 1e-3, epochs: E };
  assert.deepEqual(
    Array.from({ length: E }, (_, e) => l1AlphaAt(hp.alpha, e, E)).map((a) => +a.toPrecision(12)),
    [1e-3, 8e-4, 6e-4, 4e-4, 2e-4],
  );
  const [phase] = l1SparsePhases(unlearnData(d), hp);
  const model = cloneModel(original);
  const hb = gatherBatch(d.train, d.splits.retain.subarray(0, 8), { labels: d.splits.trainLabels });
  const norm = l1(model);
  for (let e = 0; e < E; e++)
    for (const progress of [e / E, (e + 0.9) / E]) {
      const [total, ce] = tf.tidy(() => {
        const batch = { x: tf.tensor4d(hb.x, [hb.n, 32, 32, 3]), y: tf.tensor1d(hb.y, 'int32'), n: hb.n };
        // Batch norm in training mode updates the running statistics: evaluate both losses on the same copy, CE first.
        const c = crossEntropyOn(model, batch).loss.dataSync()[0];
        return [phase.loss({ model, batch, extra: {}, epoch: e, progress }).loss.dataSync()[0], c];
      });
      const alpha = (total - ce) / norm;
      assert.ok(Math.abs(alpha - hp.alpha * (1 - e / E)) < 1e-3 * hp.alpha, `epoch ${e}, progress ${progress}: α ${alpha}`);
    }
  disposeModel(model);
});

test("l1-sparse retain passes use its batchSize (default 256, the reference's)", async () => {
  assert.equal(methods.l1Sparse.defaults.batchSize, 256);
  for (const batchSize of [256, 32]) {
    const sizes: number[] = [];
    const spy: BatchSource = {
      size: d.sources.retain.size,
      shape: d.sources.retain.shape,
      epoch: (r, bs) => {
        sizes.push(bs);
        return d.sources.retain.epoch(r, bs);
      },
    };
    disposeModel(await runMethod('l1Sparse', { epochs: 2, batchSize }, { ...unlearnData(d), retain: spy }));
    assert.deepEqual(sizes, [batchSize, batchSize]);
  }
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
