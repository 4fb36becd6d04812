// ROC/AUC/TPR-at-FPR on a hand-computed table, the logit-scaled confidence and the per-example comparison
// with retrained models (Gaussian z-scores).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aucOf, rocCurve, tprAtFpr } from '../lib/metrics/roc';
import { attackSummary, logitScaledConfidence } from '../lib/metrics/confidence-attack';
import { compareWithRetrained, liraSummary, normalUpperTail } from '../lib/metrics/retrain-comparison';
import { rng } from '../lib/util/rng';

const near = (a: ArrayLike<number>, b: number[], tol = 1e-12) =>
  assert.ok(a.length === b.length && b.every((v, i) => Math.abs(a[i] - v) <= tol || v === a[i]), `${Array.from(a)} vs ${b}`);

test('ROC curve and AUC on a small table with tied scores (by hand; = sklearn roc_curve / roc_auc_score)', () => {
  // members 0.9 0.8 0.6 0.6, non-members 0.7 0.6 0.3. Thresholds high→low:
  //   0.9: TP 1 FP 0 | 0.8: TP 2 FP 0 | 0.7: TP 2 FP 1 | 0.6: TP 4 FP 2 (three tied scores move together) | 0.3: TP 4 FP 3
  // AUC = pairs won / 12 = (3 + 3 + 1.5 + 1.5) / 12 = 0.75 (each 0.6 member beats 0.3, ties 0.6 for ½, loses to 0.7).
  const roc = rocCurve([0.9, 0.8, 0.6, 0.6], [0.7, 0.6, 0.3]);
  near(roc.fpr, [0, 0, 0, 1 / 3, 2 / 3, 1]);
  near(roc.tpr, [0, 0.25, 0.5, 0.5, 1, 1]);
  near(roc.thresholds, [Infinity, 0.9, 0.8, 0.7, 0.6, 0.3]);
  assert.ok(Math.abs(aucOf(roc) - 0.75) < 1e-12);
  assert.equal(tprAtFpr(roc, 0.01), 0.5);
  assert.equal(tprAtFpr(roc, 0.5), 0.5);
  assert.equal(tprAtFpr(roc, 2 / 3), 1);
  // All tied → one step from (0,0) to (1,1): AUC ½.
  assert.equal(aucOf(rocCurve([1, 1], [1, 1, 1])), 0.5);
  assert.equal(aucOf(rocCurve([3, 4], [1, 2])), 1);
  assert.equal(aucOf(rocCurve([1, 2], [3, 4])), 0);
});

test('attackSummary: chance on identical distributions, exposed on separated ones', () => {
  const r = rng(5, 'attack');
  const draw = (n: number, mu: number) => Array.from({ length: n }, () => mu + r.normal());
  const same = attackSummary(draw(2000, 0), draw(2000, 0));
  assert.ok(Math.abs(same.auc - 0.5) < 0.04, `auc ${same.auc}`);
  assert.ok(same.tprAt1Fpr < 0.04, `tpr@1% ${same.tprAt1Fpr}`);
  const apart = attackSummary(draw(500, 4), draw(2000, 0));
  assert.ok(apart.auc > 0.99 && apart.tprAt1Fpr > 0.8, `auc ${apart.auc} tpr@1% ${apart.tprAt1Fpr}`);
  assert.equal(apart.nPositive, 500);
  assert.equal(apart.nNegative, 2000);
});

test('logit-scaled confidence = log p_y − log(1 − p_y), stable for large logits', () => {
  const s = logitScaledConfidence({ values: Float32Array.of(2, 0, 0, 100, 0, -5, 1, 2, 3), n: 3, numClasses: 3 }, [0, 1, 2]);
  // Row 0: p = e²/(e² + 2) ⇒ log(p/(1−p)) = 2 − log 2.
  assert.ok(Math.abs(s[0] - (2 - Math.log(2))) < 1e-12);
  // Row 1: label 1 has logit 0 against 100 and −5: ≈ −100 (a naive log(1 − p) would give −Infinity/NaN issues).
  assert.ok(Math.abs(s[1] - (0 - (100 + Math.log1p(Math.exp(-105))))) < 1e-9, String(s[1]));
  const p = Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3));
  assert.ok(Math.abs(s[2] - Math.log(p / (1 - p))) < 1e-12);
  assert.throws(() => logitScaledConfidence({ values: Float32Array.of(1, 2), n: 1, numClasses: 2 }, [2]), /outside/);
});

test('comparison with retrained models: Gaussian z-scores, p-values and aggregates', () => {
  assert.ok(Math.abs(normalUpperTail(1.959963985) - 0.025) < 1e-7);
  assert.ok(Math.abs(normalUpperTail(-1) - 0.8413447461) < 1e-7);
  // Two retrained models: means 2, 3, 4, 5; every per-example variance is 2 ⇒ σ = √2 (global = per-example).
  const retrained = [
    [1, 2, 3, 4],
    [3, 4, 5, 6],
  ];
  const s2 = Math.SQRT2;
  const c = compareWithRetrained([2, 3 + s2, 4 - 2 * s2, 5 + 2 * s2], retrained);
  near(c.mean, [2, 3, 4, 5]);
  near(c.z, [0, 1, -2, 2], 1e-12);
  near(c.pOut, [0.5, 0.15865525, 0.97724987, 0.02275013], 2e-7);
  assert.ok(Math.abs(c.meanZ - 0.25) < 1e-12 && Math.abs(c.meanAbsZ - 1.25) < 1e-12);
  assert.equal(c.shareFlagged, 0.25);
  // Per-example variances differ: [0, 2] → var 2, [0, 4] → var 8; global would pool them to 5.
  const pe = compareWithRetrained(
    [1 + s2, 2],
    [
      [0, 0],
      [2, 4],
    ],
    { variance: 'per-example' },
  );
  near(pe.z, [1, 0], 1e-12);
  const gl = compareWithRetrained(
    [1 + s2, 2],
    [
      [0, 0],
      [2, 4],
    ],
  );
  near(gl.std, [Math.sqrt(5), Math.sqrt(5)], 1e-12);
  assert.throws(() => compareWithRetrained([1], [[1]]), /at least 2 retrained/);
  // LiRA-style summary: forget examples still far above their retrained distribution vs held-out ones at it.
  const r = rng(9, 'lira');
  const ref = (n: number) => Array.from({ length: 4 }, () => Array.from({ length: n }, () => r.normal()));
  const exposed = liraSummary(
    compareWithRetrained(
      Array.from({ length: 200 }, () => 3 + r.normal()),
      ref(200),
    ),
    compareWithRetrained(
      Array.from({ length: 400 }, () => r.normal()),
      ref(400),
    ),
  );
  assert.ok(exposed.auc > 0.9, `auc ${exposed.auc}`);
});
