// Analyses from stored features (issue 14): the MIA protocols (shuffle splits, clipping, forget-class non-members,
// draws with an interval), the lazy metric registry, the region-score variants, the grid table, tuning objectives —
// (end to end at smoke, in test/golden-smoke.test.ts's store: another objective, MIA protocol or λ trains nothing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stratifiedShuffleSplit, testCountsPerClass } from '../lib/metrics/shuffle-split';
import { miaAccuracy } from '../lib/metrics/mia';
import { drawSeed, miaOfFeatures, miaProtocols } from '../lib/metrics/mia-protocol';
import { metricReader, checkMetricNames } from '../lib/metrics/registry';
import { connectedRegionMask, planeRegionScore, regionScores } from '../lib/metrics/region-scores';
import type { PlaneGrid, PlanePoint } from '../lib/metrics/plane';
import { gridTable, methodGridOf } from '../lib/unlearn/grids';
import { methodGrid } from '../lib/experiment/sweep';
import { metricParams, objectiveSource, scorePoints, tune } from '../lib/experiment/analysis';
import { paperObjective, type TuningObjective } from '../lib/unlearn/tuning';
import { getProfile } from '../lib/experiment/profiles';
import { toyFeatures } from './helpers/features';

test('stratified shuffle splits: ceil(10%) test rows, class shares kept, train and test partition the rows, seeded', () => {
  const y = Int32Array.from({ length: 100 }, (_, i) => (i < 50 ? 0 : 1));
  const splits = stratifiedShuffleSplit(y, 5, 0.1, 3);
  assert.equal(splits.length, 5);
  for (const { train, test } of splits) {
    assert.equal(test.length, 10);
    assert.equal(Array.from(test).filter((i) => y[i] === 1).length, 5, 'half of the test rows per class');
    assert.deepEqual(
      [...train, ...test].sort((a, b) => a - b),
      Array.from({ length: 100 }, (_, i) => i),
    );
  }
  assert.notDeepEqual(splits[0].test, splits[1].test, 'each split draws anew');
  assert.deepEqual(stratifiedShuffleSplit(y, 5, 0.1, 3), splits, 'same seed, same splits');
  assert.notDeepEqual(stratifiedShuffleSplit(y, 5, 0.1, 4)[0].test, splits[0].test);
  // Per-class counts: floor of the proportional share, the remainder to the largest fractional part.
  assert.deepEqual(testCountsPerClass([50, 50], 10), [5, 5]);
  assert.deepEqual(testCountsPerClass([3, 7], 4), [1, 3]); // exact 1.2, 2.8
  assert.throws(() => stratifiedShuffleSplit(y, 5, 1.5, 0), /test share must be in \(0, 1\)/);
});

test('MIA variants: shuffle-split CV, losses clipped to ±100 instead of failing on Infinity, NaN still an error', () => {
  const mem = Float64Array.from({ length: 50 }, (_, i) => 0.01 * i);
  const non = Float64Array.from({ length: 200 }, (_, i) => 0.5 + 0.01 * (i % 100));
  const kfold = miaAccuracy(mem, non, { seed: 0 });
  const shuffle = miaAccuracy(mem, non, { seed: 0, cv: 'shuffle-split' });
  assert.equal(kfold.foldAccuracies.length, 5);
  assert.equal(shuffle.foldAccuracies.length, 5);
  assert.ok(shuffle.accuracy > 0.9 && kfold.accuracy > 0.9, 'separable losses are recognised by both');
  const inf = Float64Array.from(mem, (v, i) => (i === 0 ? Infinity : v));
  assert.throws(() => miaAccuracy(inf, non, { seed: 0 }), /member loss Infinity at 0 is not a finite number/);
  assert.deepEqual(
    miaAccuracy(inf, non, { seed: 0, clip: 100 }),
    miaAccuracy(
      Float64Array.from(inf, (v) => Math.min(v, 100)),
      non,
      { seed: 0 },
    ),
  );
  assert.throws(
    () =>
      miaAccuracy(
        Float64Array.from(mem, (v, i) => (i === 3 ? NaN : v)),
        non,
        { seed: 0, clip: 100 },
      ),
    /member loss NaN at 3/,
  );
});

test('MIA over draws: one draw is the single seeded attack; many give their mean and a 95% interval; forget-class non-members only', () => {
  const forgetLoss = Array.from({ length: 40 }, (_, i) => 0.02 * i);
  const testLoss = Array.from({ length: 400 }, (_, i) => 0.3 + 0.004 * i);
  const f = toyFeatures({ n: 40, forgetLoss, testLoss });
  const one = miaOfFeatures(f, miaProtocols.paper, 7);
  assert.equal(one.value, miaAccuracy(f.forget.loss, f.test.loss, { seed: 7 }).accuracy);
  assert.equal(one.interval, undefined);
  const many = miaOfFeatures(f, { ...miaProtocols.paper, draws: 30 }, 7);
  assert.equal(many.draws.length, 30);
  assert.equal(many.draws[0], one.value, 'draw 0 is the single-draw protocol');
  assert.equal(many.draws[5], miaAccuracy(f.forget.loss, f.test.loss, { seed: drawSeed(7, 5) }).accuracy);
  const mean = many.draws.reduce((s, v) => s + v, 0) / 30;
  const sd = Math.sqrt(many.draws.reduce((s, v) => s + (v - mean) ** 2, 0) / 29);
  assert.ok(Math.abs(many.value - mean) < 1e-12);
  assert.deepEqual(
    many.interval?.map((v) => +v.toFixed(12)),
    [mean - (1.96 * sd) / Math.sqrt(30), mean + (1.96 * sd) / Math.sqrt(30)].map((v) => +v.toFixed(12)),
  );
  // Non-members restricted to the forget set's classes: test rows of another class never enter the attack.
  const g = toyFeatures({ n: 40, forgetLoss, testLoss });
  g.test.labels = Int32Array.from({ length: 400 }, (_, i) => (i % 2 ? 0 : 5)); // forget rows are all class 0
  const only0 = Float64Array.from(g.test.loss.filter((_, i) => i % 2 === 1));
  const p = { ...miaProtocols.firstAuthor };
  assert.equal(miaOfFeatures(g, p, 1).value, miaAccuracy(g.forget.loss, only0, { seed: 1, cv: 'shuffle-split', clip: 100 }).accuracy);
});

test('metric reader: computes only what is read, once; unknown metric names are listed', () => {
  const f = toyFeatures({ validation: 0.3, forget: 0.1, test: 0.4 });
  f.forget.loss[0] = NaN; // the MIA would fail on this model; errors do not need it
  const m = metricReader({ features: f, seed: 0, params: metricParams() });
  assert.equal(m.validationError, 0.3);
  assert.ok(Math.abs(m.forgetGap - 0.2) < 1e-12);
  assert.equal(m.detail('testError').byExample?.length, 100);
  assert.throws(() => m.mia, /member loss NaN at 0/, 'computed on access');
  assert.equal(m.detail('testError'), m.detail('testError'), 'memoised');
  assert.ok(Number.isNaN(m.retrainAgreement), 'no retrained oracle given: NaN');
  assert.throws(() => checkMetricNames(['testError', 'miaa']), /unknown metric 'miaa'; expected one of: testError, /);
});

test('region scores: connected region of the original around the forget image; whole-plane agreement; radius 0 = no neighbourhood', () => {
  // 4×4 grid on [0,3]²; the forget anchor at (0,0). Original: class 1 in the 2×2 corner around it, else 0.
  const grid: PlaneGrid = { resolution: 4, margin: 0, us: Float64Array.of(0, 1, 2, 3), vs: Float64Array.of(0, 1, 2, 3) };
  const anchors: PlanePoint[] = [
    [0, 0],
    [3, 0],
    [0, 3],
  ];
  const a = Array.from({ length: 16 }, (_, p) => (Math.floor(p / 4) < 2 && p % 4 < 2 ? 1 : 0));
  a[15] = 1; // another class-1 region, not connected to the forget image's
  assert.deepEqual(
    Array.from(connectedRegionMask(a, anchors, grid))
      .map((v, p) => (v ? p : -1))
      .filter((p) => p >= 0),
    [0, 1, 4, 5],
  );
  const b = a.slice();
  b[0] = 0;
  b[1] = 0;
  b[10] = 1; // two of the region changed, one far point changed
  const s = planeRegionScore(a, b, anchors, grid, { neighbourhood: 'connected-region' });
  assert.deepEqual([s.nNear, s.change, s.nFar, s.similarity, s.agreement], [4, 0.5, 12, 11 / 12, 13 / 16]);
  const whole = planeRegionScore(a, b, anchors, grid, { radiusFraction: 0 });
  assert.deepEqual([whole.nNear, whole.similarity, whole.agreement], [0, 13 / 16, 13 / 16]);
  const pooled = regionScores(
    [
      { anchors, grid, classes: { a, b } },
      { anchors, grid, classes: { a, b: a } },
    ],
    'a',
    'b',
  );
  assert.equal(pooled.agreement, (13 / 16 + 1) / 2);
});

test("grid table: one visible row per profile; overrides replace a key's list; an unknown profile is an error", () => {
  const scrub = { lr: [0.0005, 0.005], epochs: [5], msteps: [3], alpha: [0.5, 0.001], gamma: [1], T: [4], forgetBatch: [16] };
  assert.deepEqual(methodGridOf('cpu', 'scrub'), scrub);
  assert.deepEqual(methodGridOf('cpu', 'scrub', { scrub: { lr: [0.01] } }), { ...scrub, lr: [0.01] });
  assert.equal(methodGrid('scrub', getProfile('cpu')).length, 4);
  assert.equal(methodGrid('scrub', getProfile('cpu'), { scrub: { lr: [0.01, 0.02, 0.03] } }).length, 6);
  assert.deepEqual(methodGrid('retrain', getProfile('cpu'), { scrub: { lr: [1] } }), [{}]);
  assert.throws(() => gridTable('huge'), /unknown grid table .* 'huge'; expected one of: smoke, cpu, cpu-fmnist, paper/);
  assert.throws(() => methodGrid('scrub', { ...getProfile('cpu'), name: 'mine' }), /unknown grid table/);
});

test("tuning objective: the default is SPEC's J; a custom one selects by what it reads and is recorded verbatim", () => {
  const table = [
    { validation: 0.3, forget: 0.0, test: 0.1 },
    { validation: 0.32, forget: 0.25, test: 0.5 },
    { validation: 0.4, forget: 0.38, test: 0.2 },
  ];
  const points = table.map((e, i) => ({
    goal: 'privacy' as const,
    k: 4,
    seed: 0,
    method: 'scrub',
    hp: { lr: i },
    hash: `h${i}`,
    seconds: 0,
    features: toyFeatures(e),
  }));
  const scored = scorePoints(points, metricParams());
  assert.deepEqual(
    tune(scored, [0.2]).map((t) => t.hp.lr),
    [2],
  ); // J = [0.300, 0.120, 0.096]
  const byTest: TuningObjective = (m) => m.testError; // not a fair selection, but the config's to choose
  assert.deepEqual(
    tune(scored, [0.2], byTest).map((t) => t.hp.lr),
    [0],
  );
  assert.equal(objectiveSource(paperObjective), 'paperObjective (SPEC J)');
  assert.equal(objectiveSource(byTest), byTest.toString(), 'the function source text');
});
