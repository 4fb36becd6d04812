// Tests of the seeded splits: stratification, determinism, disjointness, sizes, bias labels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../lib/util/errors';
import { rng } from '../lib/util/rng';
import { difference, makeSplits, resolveSize, splitSummary, stratifiedSample } from '../lib/data/splits';
import { classCounts, Labelled } from '../lib/data/types';

const classes = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];

/** Labels like CIFAR-10's (balanced) but shuffled, n per class. */
function labelled(perClass: number, seed: number, C = 10): Labelled {
  const labels: number[] = [];
  for (let c = 0; c < C; c++) for (let k = 0; k < perClass; k++) labels.push(c);
  return { labels: Uint8Array.from(rng(seed, 'labels').shuffle(labels)), classes: classes.slice(0, C) };
}

const train = labelled(500, 1);
const testSet = labelled(100, 2);

function isSortedUnique(a: Int32Array): boolean {
  for (let i = 1; i < a.length; i++) if (a[i] <= a[i - 1]) return false;
  return true;
}

test('sizes, fractions and counts resolve; bad sizes are UsageErrors', () => {
  assert.equal(resolveSize(0.1, 5000, 'v'), 500);
  assert.equal(resolveSize(300, 5000, 'v'), 300);
  assert.equal(resolveSize(0, 5000, 'v'), 0);
  assert.throws(() => resolveSize(1.5, 5000, 'v'), UsageError);
  assert.throws(() => resolveSize(6000, 5000, 'v'), UsageError);
  assert.throws(() => resolveSize(-1, 5000, 'v'), UsageError);
});

test('splits are disjoint, cover what they should, and have the configured sizes', () => {
  const s = makeSplits(train, testSet, { validation: 500, trainSize: 2000, testSize: 300, forget: 40 }, 7);
  assert.deepEqual(splitSummary(s), { train: 2000, validation: 500, test: 300, forget: 40, retain: 1960 });
  for (const a of [s.train, s.validation, s.test, s.forget, s.retain]) assert.ok(isSortedUnique(a));
  const inVal = new Set(s.validation);
  assert.ok(
    s.train.every((i) => !inVal.has(i)),
    'train and validation are disjoint',
  );
  const inTrain = new Set(s.train);
  assert.ok(
    s.forget.every((i) => inTrain.has(i)),
    'forget is inside train',
  );
  assert.deepEqual(difference(s.train, s.forget), s.retain);
  assert.equal(new Set([...s.forget, ...s.retain]).size, s.train.length);
  assert.ok(s.test.every((i) => i >= 0 && i < testSet.labels.length));
});

test('validation, train subset and test subset are stratified', () => {
  const s = makeSplits(train, testSet, { validation: 0.1, trainSize: 1000, testSize: 200, forget: 10 }, 3);
  assert.deepEqual(classCounts(train, s.validation), new Array(10).fill(50));
  assert.deepEqual(classCounts(train, s.train), new Array(10).fill(100));
  assert.deepEqual(classCounts(testSet, s.test), new Array(10).fill(20));
  // Unbalanced classes: proportional shares, rounded by largest remainder, total exact.
  const un: Labelled = {
    labels: Uint8Array.from([...new Array(70).fill(0), ...new Array(20).fill(1), ...new Array(10).fill(2)]),
    classes: ['x', 'y', 'z'],
  };
  const all = Int32Array.from({ length: 100 }, (_, i) => i);
  const pick = stratifiedSample(un.labels, all, 15, 3, rng(0, 't'));
  assert.deepEqual(classCounts(un, pick), [11, 3, 1]);
});

test('deterministic in the seed; stages are independent streams', () => {
  const cfg = { validation: 500, trainSize: 2000, forget: 40 };
  const a = makeSplits(train, testSet, cfg, 11);
  const b = makeSplits(train, testSet, cfg, 11);
  assert.deepEqual(a, b);
  const c = makeSplits(train, testSet, cfg, 12);
  assert.notDeepEqual(a.forget, c.forget);
  assert.notDeepEqual(a.validation, c.validation);
  // Changing the test subset or the goal leaves validation, train and forget unchanged.
  const d = makeSplits(train, testSet, { ...cfg, testSize: 100, goal: 'bias' }, 11);
  assert.deepEqual(d.validation, a.validation);
  assert.deepEqual(d.train, a.train);
  assert.deepEqual(d.forget, a.forget);
  // Changing the train subset size leaves validation unchanged.
  const e = makeSplits(train, testSet, { ...cfg, trainSize: 1000 }, 11);
  assert.deepEqual(e.validation, a.validation);
});

test('forget examples are drawn uniformly from train (not stratified)', () => {
  // Over many seeds every class is hit about equally often, but single draws are not forced to balance.
  const counts = new Array(10).fill(0);
  let unbalanced = 0;
  for (let seed = 0; seed < 40; seed++) {
    const s = makeSplits(train, testSet, { validation: 500, forget: 50 }, seed);
    const cc = classCounts(train, s.forget);
    if (cc.some((x) => x !== 5)) unbalanced++;
    cc.forEach((x, c) => {
      counts[c] += x;
    });
  }
  assert.ok(unbalanced > 30);
  for (const x of counts) assert.ok(x > 140 && x < 260, `class total ${x} far from 200`);
});

test('privacy goal keeps labels; bias goal shifts forget labels by biasShift mod C', () => {
  const p = makeSplits(train, testSet, { validation: 500, forget: 60 }, 5);
  assert.deepEqual(p.trainLabels, p.trueLabels);
  assert.deepEqual(p.trueLabels, Int32Array.from(train.labels));
  const b = makeSplits(train, testSet, { validation: 500, forget: 60, goal: 'bias' }, 5);
  const isForget = new Set(b.forget);
  for (let i = 0; i < b.trueLabels.length; i++) {
    const want = isForget.has(i) ? (b.trueLabels[i] + 1) % 10 : b.trueLabels[i];
    assert.equal(b.trainLabels[i], want);
  }
  const b3 = makeSplits(train, testSet, { validation: 500, forget: 60, goal: 'bias', biasShift: -3 }, 5);
  for (const i of b3.forget) assert.equal(b3.trainLabels[i], (b3.trueLabels[i] + 7) % 10);
  assert.throws(() => makeSplits(train, testSet, { goal: 'bias', biasShift: 10 }, 5), UsageError);
  assert.throws(() => makeSplits(train, testSet, { forget: 10000 }, 5), UsageError);
});

test('defaults: 10% validation, all remaining train, full test, 200 forget, privacy', () => {
  const s = makeSplits(train, testSet);
  assert.deepEqual(splitSummary(s), { train: 4500, validation: 500, test: 1000, forget: 200, retain: 4300 });
  assert.equal(s.config.goal, 'privacy');
  assert.equal(s.config.biasShift, 1);
});
