// Model-level membership features (losses and logit-scaled confidences of forget and test examples) with a
// tiny model, and the report combining the paper's MIA with the confidence attack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend } from '../lib/backend/select';
import { makeDataset } from '../lib/data/types';
import { makeSplits } from '../lib/data/splits';
import type { ExperimentData } from '../lib/experiment/data';
import { createModel, disposeModel } from '../lib/models';
import { crossEntropyRows, labelsAt } from '../lib/metrics/errors';
import { predictLogits } from '../lib/metrics/predict';
import { membershipFeatures, membershipReport, miaOfModel } from '../lib/metrics/membership';
import { rng } from '../lib/util/rng';

function toyData(goal: 'privacy' | 'bias'): ExperimentData {
  const r = rng(2, 'toy');
  const ds = (name: string, n: number) => makeDataset({
    name, images: Uint8Array.from({ length: n * 192 }, () => r.int(256)), labels: Uint8Array.from({ length: n }, (_, i) => i % 3),
    height: 8, width: 8, channels: 3, classes: ['a', 'b', 'c'],
  });
  const train = ds('toy/train', 60), testDs = ds('toy/test', 40);
  const splits = makeSplits(train, testDs, { validation: 0, forget: 12, goal }, 0);
  // Only what the membership helpers read; the training sources are not used.
  return { config: { dataset: 'cifar10', split: {}, augment: false }, seed: 0, train, test: testDs, splits, numClasses: 3, shape: [8, 8, 3] } as unknown as ExperimentData;
}

test('membership features are the per-example losses/confidences of forget (members) and test (non-members)', async () => {
  await ensureBackend();
  const d = toyData('bias');
  const model = createModel({ arch: 'cnn4', k: 2, numClasses: 3, inputShape: [8, 8, 3] }, 0);
  const f = membershipFeatures(model, d);
  assert.equal(f.forgetLoss.length, 12);
  assert.equal(f.testLoss.length, 40);
  const lf = predictLogits(model, d.train, d.splits.forget);
  assert.deepEqual(f.forgetLoss, crossEntropyRows(lf, labelsAt(d.splits.trainLabels, d.splits.forget)));
  // Bias goal: the default scores forget examples against their (biased) training labels, 'true' against the true ones.
  const t = membershipFeatures(model, d, { forgetLabels: 'true' });
  assert.notDeepEqual(t.forgetLoss, f.forgetLoss);
  assert.deepEqual(t.forgetLoss, crossEntropyRows(lf, labelsAt(d.splits.trueLabels, d.splits.forget)));
  // Loss and confidence agree in direction: φ = −log(e^ℓ − 1) is decreasing in the loss ℓ.
  for (let i = 0; i < 12; i++) assert.ok(Math.abs(f.forgetScore[i] + Math.log(Math.expm1(f.forgetLoss[i]))) < 1e-6);
  const rep = membershipReport(f, { seed: 0 });
  assert.equal(rep.mia.nMembers, 12);
  assert.equal(rep.mia.nNonmembers, 12);
  assert.equal(rep.confidence.nNegative, 40);
  assert.deepEqual(miaOfModel(model, d, { seed: 0 }), rep.mia);
  disposeModel(model);
});
