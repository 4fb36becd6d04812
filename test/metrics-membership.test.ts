// A model's stored features (labels, predictions, losses and logit-scaled confidences of every split) with a
// tiny model, and the report combining the paper's MIA with the confidence attack from them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend } from '../lib/backend/select';
import { makeDataset } from '../lib/data/types';
import { makeSplits } from '../lib/data/splits';
import type { ExperimentData } from '../lib/experiment/data';
import { createModel, disposeModel } from '../lib/models';
import { crossEntropyRows, labelsAt } from '../lib/metrics/errors';
import { predictLogits } from '../lib/metrics/predict';
import { membershipReport } from '../lib/metrics/membership';
import { miaAccuracy } from '../lib/metrics/mia';
import { computeFeatures } from '../lib/experiment/features';
import { errorRate, argmaxRows } from '../lib/metrics/errors';
import { errorOf, featuresFromJson, featuresToJson, splitErrorsOf } from '../lib/metrics/features';
import { rng } from '../lib/util/rng';

function toyData(goal: 'privacy' | 'bias'): ExperimentData {
  const r = rng(2, 'toy');
  const ds = (name: string, n: number) =>
    makeDataset({
      name,
      images: Uint8Array.from({ length: n * 192 }, () => r.int(256)),
      labels: Uint8Array.from({ length: n }, (_, i) => i % 3),
      height: 8,
      width: 8,
      channels: 3,
      classes: ['a', 'b', 'c'],
    });
  const train = ds('toy/train', 60),
    testDs = ds('toy/test', 40);
  const splits = makeSplits(train, testDs, { validation: 0, forget: 12, goal }, 0);
  // Only what the membership helpers read; the training sources are not used.
  return {
    config: { dataset: 'cifar10', split: {}, augment: false },
    seed: 0,
    train,
    test: testDs,
    splits,
    numClasses: 3,
    shape: [8, 8, 3],
  } as unknown as ExperimentData;
}

test("stored features are each split's labels, arg-max predictions, losses and confidences; errors and the MIA follow from them", async () => {
  await ensureBackend();
  const d = toyData('bias');
  const model = createModel({ arch: 'cnn4', k: 2, numClasses: 3, inputShape: [8, 8, 3] }, 0);
  const f = await computeFeatures(model, d);
  assert.equal(f.forget.loss.length, 12);
  assert.equal(f.test.loss.length, 40);
  assert.equal(f.retain.loss.length, d.splits.retain.length, 'a small retain set is stored whole');
  const lf = predictLogits(model, d.train, d.splits.forget);
  assert.deepEqual(f.forget.loss, crossEntropyRows(lf, labelsAt(d.splits.trainLabels, d.splits.forget)));
  assert.deepEqual(f.forget.pred, argmaxRows(lf));
  // Bias goal: forget examples are scored against their (biased) training labels, and kept against the true ones.
  assert.notDeepEqual(f.forget.lossTrue, f.forget.loss);
  assert.deepEqual(f.forget.lossTrue, crossEntropyRows(lf, labelsAt(d.splits.trueLabels, d.splits.forget)));
  assert.equal(errorOf(f.forget), errorRate(lf, labelsAt(d.splits.trainLabels, d.splits.forget)));
  assert.equal(splitErrorsOf(f).forgetTrue, errorRate(lf, labelsAt(d.splits.trueLabels, d.splits.forget)));
  // Loss and confidence agree in direction: φ = −log(e^ℓ − 1) is decreasing in the loss ℓ.
  for (let i = 0; i < 12; i++) assert.ok(Math.abs(f.forget.score[i] + Math.log(Math.expm1(f.forget.loss[i]))) < 1e-6);
  const rep = membershipReport(f, { seed: 0 });
  assert.equal(rep.mia.nMembers, 12);
  assert.equal(rep.mia.nNonmembers, 12);
  assert.equal(rep.confidence.nNegative, 40);
  assert.deepEqual(rep.mia, miaAccuracy(f.forget.loss, f.test.loss, { seed: 0 }));
  assert.notDeepEqual(membershipReport(f, { seed: 0, forgetLabels: 'true' }).confidence.auc, rep.confidence.auc);
  // The JSON form (what the store holds) round-trips exactly, non-finite values included.
  const j = JSON.parse(
    JSON.stringify(featuresToJson({ ...f, test: { ...f.test, loss: Float64Array.of(...f.test.loss.slice(0, 39), Infinity) } })),
  );
  const back = featuresFromJson(j);
  assert.deepEqual(back.forget, f.forget);
  assert.equal(back.test.loss[39], Infinity);
  assert.match(j.forget.loss, /^f64:/, 'base64 of the float64 bytes');
  // The earlier form, plain number arrays (non-finite values as strings), is still read.
  const plain = Object.fromEntries(
    Object.entries(featuresToJson(f)).map(([k, v]) => [
      k,
      typeof v === 'number'
        ? v
        : Object.fromEntries(
            Object.entries(v).map(([n, x]) => [
              n,
              Array.from(featuresFromJson(j)[k as 'test'][n as 'loss'] ?? [], (y) => (Number.isFinite(y) ? y : String(y))),
            ]),
          ),
    ]),
  );
  assert.deepEqual(featuresFromJson(plain).forget, f.forget);
  assert.throws(() => featuresFromJson({ ...j, forget: { ...j.forget, pred: [] } }), /forget\.pred has 0 values for 12 rows/);
  disposeModel(model);
});
