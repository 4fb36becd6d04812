// Validation-based tuning picks the arg-min of J on a fixed table of grid results (hand-computed), and the
// grid expands to the cartesian product over the method's defaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { objective, selectBest } from '../lib/unlearn/tuning';
import { expandGrid } from '../lib/unlearn/grid';
import type { SweepPoint } from '../lib/experiment/sweep';
import { metricParams, scorePoints, tune } from '../lib/experiment/analysis';
import { toyFeatures } from './helpers/features';

// Grid results (validation error, forget error) of four hypothetical grid points.
const table = [
  { validation: 0.3, forget: 0.0 }, // barely unlearned
  { validation: 0.32, forget: 0.25 },
  { validation: 0.4, forget: 0.38 }, // forget ≈ validation, but worse utility
  { validation: 0.6, forget: 0.9 }, // destroyed
];

test('privacy objective: hand-computed J and arg-min per λ', () => {
  // J = λ·val + (1−λ)·|forget − val|
  // λ=0.2: [0.06+0.24=0.300, 0.064+0.056=0.120, 0.08+0.016=0.096, 0.12+0.24=0.360] → index 2
  // λ=0.6: [0.18+0.12=0.300, 0.192+0.028=0.220, 0.24+0.008=0.248, 0.36+0.12=0.480] → index 1
  assert.ok(Math.abs(objective('privacy', 0.2, table[2]) - 0.096) < 1e-12);
  assert.deepEqual(
    { ...selectBest('privacy', 0.2, table), J: +selectBest('privacy', 0.2, table).J.toFixed(6) },
    { lambda: 0.2, index: 2, J: 0.096 },
  );
  assert.equal(selectBest('privacy', 0.4, table).index, 1); // [0.30, 0.170, 0.172, 0.42]
  assert.equal(selectBest('privacy', 0.6, table).index, 1);
});

test('bias objective: hand-computed J and arg-min per λ', () => {
  // J = λ·val − (1−λ)·forget
  // λ=0.2: [0.06, 0.064−0.2=−0.136, 0.08−0.304=−0.224, 0.12−0.72=−0.60] → index 3
  // λ=0.6: [0.18, 0.192−0.1=0.092, 0.24−0.152=0.088, 0.36−0.36=0.00] → index 3
  // λ=0.8 (beyond the default set): [0.24, 0.206, 0.244, 0.30] → index 1
  assert.equal(selectBest('bias', 0.2, table).index, 3);
  assert.ok(Math.abs(selectBest('bias', 0.2, table).J - -0.6) < 1e-12);
  assert.equal(selectBest('bias', 0.6, table).index, 3);
  assert.equal(selectBest('bias', 0.8, table).index, 1);
});

test('failed grid points are skipped; all-failed is an error', () => {
  assert.equal(selectBest('privacy', 0.2, [{ validation: NaN, forget: 0 }, table[1]]).index, 1);
  assert.throws(() => selectBest('privacy', 0.2, [{ validation: NaN, forget: NaN }]), /no grid point/);
});

test('tune selects per (width, seed, method) and λ; expandGrid is the cartesian product', () => {
  const point = (k: number, method: string, i: number): SweepPoint => ({
    goal: 'privacy',
    k,
    seed: 0,
    method,
    hp: { lr: i },
    hash: `${k}${method}${i}`,
    seconds: 0,
    features: toyFeatures({ forget: table[i].forget, validation: table[i].validation }),
  });
  const points = [0, 1, 2, 3].map((i) => point(4, 'scrub', i)).concat([point(4, 'retrain', 0)]);
  const tuned = tune(scorePoints(points, metricParams()), [0.2, 0.6]);
  assert.deepEqual(
    tuned.filter((t) => t.method === 'scrub').map((t) => [t.lambda, t.hp.lr]),
    [
      [0.2, 2],
      [0.6, 1],
    ],
  );
  assert.equal(tuned.filter((t) => t.method === 'retrain').length, 2);
  assert.deepEqual(expandGrid({ lr: 1, epochs: 2, beta: 0.5 }, { lr: [1, 2], beta: [0.1, 0.9] }), [
    { lr: 1, epochs: 2, beta: 0.1 },
    { lr: 1, epochs: 2, beta: 0.9 },
    { lr: 2, epochs: 2, beta: 0.1 },
    { lr: 2, epochs: 2, beta: 0.9 },
  ]);
});
