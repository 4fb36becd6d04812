// lib/util/stats.ts: mean ± sample std, the Student-t 0.975 quantiles, and the 95% t-interval of a mean, against hand-computed values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { meanCI, meanStd, tInterval, tQuantile95 } from '../lib/util/stats';

const close = (a: number, b: number, tol = 1e-4) => assert.ok(Math.abs(a - b) <= tol, `${a} ≉ ${b}`);

test('tQuantile95: the table for small df, the Cornish–Fisher expansion beyond 30, NaN below 1', () => {
  assert.equal(tQuantile95(1), 12.7062);
  assert.equal(tQuantile95(2), 4.3027); // 3 seeds
  assert.equal(tQuantile95(4), 2.7764);
  assert.equal(tQuantile95(30), 2.0423);
  close(tQuantile95(31), 2.0395); // scipy.stats.t.ppf(0.975, 31) = 2.03951
  close(tQuantile95(60), 2.0003);
  close(tQuantile95(1e6), 1.96);
  assert.ok(Number.isNaN(tQuantile95(0)));
});

test('meanCI: [1, 2, 3] → mean 2, half-width 4.3027·1/√3 = 2.484; NaN skipped; one value has no interval', () => {
  const c = meanCI([1, 2, 3]);
  assert.deepEqual([c.mean, c.std, c.n], [2, 1, 3]);
  close(c.half, 2.48417);
  close(c.lo, -0.48417);
  close(c.hi, 4.48417);
  const two = meanCI([NaN, 1, 3]); // std √2, t(1) = 12.7062, half = 12.7062·√2/√2
  assert.equal(two.n, 2);
  close(two.half, 12.7062);
  const one = meanCI([5]);
  assert.deepEqual([one.mean, one.n], [5, 1]);
  assert.ok(Number.isNaN(one.half) && Number.isNaN(one.lo) && Number.isNaN(one.hi));
  assert.ok(Number.isNaN(meanCI([]).mean));
});

test('tInterval: from a summary, the same interval as meanCI of the values', () => {
  const v = [0.02, 0.03, 0.04];
  const t = tInterval(meanStd(v));
  close(t.half, (4.3027 * 0.01) / Math.sqrt(3), 1e-9);
  assert.deepEqual(t, meanCI(v));
});
