// Logistic regression, stratified k-fold and the loss MIA against scikit-learn 1.2.1 numbers (computed by hand
// with Debian's python3-sklearn: LogisticRegression(), StratifiedKFold(5), cross_val_score).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitLogistic, predictLogistic } from '../lib/metrics/logistic';
import { stratifiedFoldIds, stratifiedKFold } from '../lib/metrics/kfold';
import { balanceBySubsampling, miaAccuracy } from '../lib/metrics/mia';
import { rng } from '../lib/util/rng';

const MEM = [
  0.0318, 0.6055, 0.2308, 0.5142, 1.5265, 0.3093, 0.2782, 0.0299, 0.125, 0.2772, 0.4548, 0.6513, 0.1918, 0.0273, 0.136, 0.9614, 0.096,
  0.2407, 1.0707, 0.0101, 0.3671, 1.1993, 0.1047,
];
const NON = [
  0.9542, 2.878, 0.1715, 0.8893, 1.6655, 1.3268, 0.7568, 0.2751, 0.8098, 0.559, 0.7787, 0.5466, 2.1836, 1.7566, 0.4522, 1.0201, 0.3876,
  0.7236, 0.5225, 1.2854, 0.5551, 0.7374, 1.5247,
];
const X = [...NON, ...MEM];
const Y = [...NON.map(() => 0), ...MEM.map(() => 1)];

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test("logistic regression reaches scikit-learn's optimum (C = 1, C = 0.1, separable, 2 features)", () => {
  // LogisticRegression(solver='newton-cholesky', tol=1e-14).fit(X, y): the exact optimum, which the default lbfgs
  // only approaches (its answer here, -1.5322777342 / 1.0144010903, stops on lbfgs's relative-decrease test).
  const m = fitLogistic(X, Y);
  assert.ok(m.converged);
  close(m.coef[0], -1.5322780939365999, 1e-8, 'coef');
  close(m.intercept, 1.0144023727154743, 1e-8, 'intercept');
  close(m.coef[0], -1.5322777342262965, 1e-5, 'coef vs default lbfgs');
  close(m.intercept, 1.014401090349939, 1e-5, 'intercept vs default lbfgs');
  const c01 = fitLogistic(X, Y, 1, { C: 0.1 });
  close(c01.coef[0], -0.4712178737373973, 1e-8, 'coef C=0.1');
  close(c01.intercept, 0.3272592248838766, 1e-8, 'intercept C=0.1');
  // Linearly separable: the unpenalised-intercept L2 solution is finite.
  const sep = fitLogistic([0.1, 0.2, 0.3, 2.0, 2.5, 3.0], [1, 1, 1, 0, 0, 0]);
  close(sep.coef[0], -1.258730331272363, 1e-8, 'separable coef');
  close(sep.intercept, 1.6613382324611399, 1e-8, 'separable intercept');
  // Two features: column 2 = sin(i).
  const x2: number[] = [];
  X.forEach((v, i) => x2.push(v, Math.sin(i)));
  const m2 = fitLogistic(x2, Y, 2);
  close(m2.coef[0], -1.5241815736645576, 1e-8, '2d coef 0');
  close(m2.coef[1], -0.1288697967249203, 1e-8, '2d coef 1');
  close(m2.intercept, 1.0126269504196554, 1e-8, '2d intercept');
});

test('predictLogistic uses z > 0 ⇒ class 1', () => {
  assert.deepEqual(Array.from(predictLogistic({ coef: [2], intercept: -1, iterations: 0, converged: true }, [0, 0.5, 1])), [0, 0, 1]);
  assert.throws(() => fitLogistic([1, 2], [1, 1]), /both classes/);
});

test('stratified folds equal StratifiedKFold(5) (blocks per class, class order of first appearance)', () => {
  // [list(t) for _, t in StratifiedKFold(5).split(X, y)] on the 23 + 23 MIA data set.
  const folds = stratifiedKFold(Y, 5).map((f) => Array.from(f.test));
  assert.deepEqual(folds, [
    [0, 1, 2, 3, 4, 23, 24, 25, 26, 27],
    [5, 6, 7, 8, 9, 28, 29, 30, 31],
    [10, 11, 12, 13, 14, 32, 33, 34, 35],
    [15, 16, 17, 18, 36, 37, 38, 39, 40],
    [19, 20, 21, 22, 41, 42, 43, 44, 45],
  ]);
  // Three unequal classes (7, 8, 8 members) in mixed order: y3 folds from the same sklearn call.
  const y3 = [2, 0, 1, 1, 0, 2, 2, 2, 0, 1, 1, 1, 1, 0, 2, 2, 0, 1, 0, 0, 0, 2, 1];
  assert.deepEqual(Array.from(stratifiedFoldIds(y3, 5)), [0, 0, 0, 0, 1, 0, 1, 1, 2, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4]);
  const f = stratifiedKFold(y3, 5);
  for (const { train, test: te } of f) assert.equal(train.length + te.length, y3.length);
  assert.throws(() => stratifiedFoldIds([0, 0, 1, 1], 5), /5 folds for only 4/);
});

test('MIA fold accuracies equal cross_val_score(LogisticRegression(), X, y, cv=StratifiedKFold(5))', () => {
  const r = miaAccuracy(MEM, NON, { folds: 5, seed: 0 });
  const expected = [0.8, 0.6666666666666666, 0.7777777777777778, 0.6666666666666666, 0.6666666666666666];
  r.foldAccuracies.forEach((a, i) => close(a, expected[i], 1e-12, `fold ${i}`));
  close(r.accuracy, 0.7155555555555555, 1e-12, 'mean');
  assert.equal(r.nMembers, 23);
  assert.equal(r.nNonmembers, 23);
});

test('MIA ≈ 0.5 on identical loss distributions, ≈ 1 on separated ones; balanced by seeded subsampling', () => {
  const r = rng(3, 'mia-test');
  const draw = (n: number, shift: number) => Array.from({ length: n }, () => Math.abs(r.normal()) + shift);
  const same = miaAccuracy(draw(400, 0), draw(2000, 0), { seed: 1 });
  assert.equal(same.nMembers, 400);
  assert.equal(same.nNonmembers, 400);
  assert.ok(Math.abs(same.accuracy - 0.5) < 0.06, `same distributions: ${same.accuracy}`);
  const apart = miaAccuracy(draw(200, 0), draw(200, 5), { seed: 1 });
  assert.ok(apart.accuracy > 0.99, `separated: ${apart.accuracy}`);
  // Subsampling is seeded: same seed → same result; the larger set shrinks, the smaller is kept whole.
  const a = draw(50, 0),
    b = draw(120, 0.3);
  assert.deepEqual(miaAccuracy(a, b, { seed: 7 }), miaAccuracy(a, b, { seed: 7 }));
  const bal = balanceBySubsampling(a, b, 7);
  assert.deepEqual(Array.from(bal.a), a);
  assert.equal(bal.b.length, 50);
  assert.ok(Array.from(bal.b).every((v) => b.includes(v)));
  assert.throws(() => miaAccuracy([1, 2, 3], [1, 2, 3, 4, 5, 6]), /at least 5 members/);
  assert.throws(() => miaAccuracy([1, NaN, 3, 4, 5], [1, 2, 3, 4, 5]), /not a finite/);
});
