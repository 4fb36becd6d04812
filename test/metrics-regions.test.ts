// Decision-region planes (anchors, reconstruction, grid), batched grid inference with a tiny model, plane
// sampling, and the similarity/change scores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { ensureBackend } from '../lib/backend/select';
import { makeDataset } from '../lib/data/types';
import { cloneModel, createModel, disposeModel, forward } from '../lib/models';
import { gridPoints, makePlane, planeCoordinates, planeGrid, planeImage } from '../lib/metrics/plane';
import { decisionRegions, planeClasses, planeImages, planeOfTriple, samplePlaneTriples } from '../lib/metrics/decision-regions';
import { neighbourhoodMask, planeRegionScore, regionScores } from '../lib/metrics/region-scores';
import { rng } from '../lib/util/rng';

const SHAPE: [number, number, number] = [8, 8, 3];
const D = 8 * 8 * 3;

function randomImages(n: number, seed: number): Float32Array[] {
  const r = rng(seed, 'imgs');
  return Array.from({ length: n }, () => Float32Array.from({ length: D }, () => r.normal()));
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

test('plane: orthonormal basis, anchors map back to their coordinates and reconstruct the images', async () => {
  await ensureBackend();
  const [x1, x2, x3] = randomImages(3, 1);
  const p = makePlane(x1, x2, x3);
  let aa = 0,
    bb = 0,
    ab = 0;
  for (let i = 0; i < D; i++) {
    aa += p.a[i] ** 2;
    bb += p.b[i] ** 2;
    ab += p.a[i] * p.b[i];
  }
  assert.ok(Math.abs(aa - 1) < 1e-5 && Math.abs(bb - 1) < 1e-5 && Math.abs(ab) < 1e-5, `${aa} ${bb} ${ab}`);
  assert.deepEqual(p.anchors[0], [0, 0]);
  assert.equal(p.anchors[1][1], 0);
  assert.ok(p.anchors[2][1] > 0);
  [x1, x2, x3].forEach((x, k) => {
    const [u, v] = planeCoordinates(p, x);
    assert.ok(Math.abs(u - p.anchors[k][0]) < 1e-4 && Math.abs(v - p.anchors[k][1]) < 1e-4, `anchor ${k}: ${u},${v} vs ${p.anchors[k]}`);
    assert.ok(maxDiff(planeImage(p, ...p.anchors[k]), x) < 1e-4, `host reconstruction ${k}`);
  });
  // The backend path that builds grid images reconstructs the three images at the anchor coordinates.
  const t = planeImages(p, Float64Array.from(p.anchors.flat()), SHAPE);
  assert.deepEqual(t.shape, [3, ...SHAPE]);
  const got = t.dataSync();
  t.dispose();
  [x1, x2, x3].forEach((x, k) => assert.ok(maxDiff(got.subarray(k * D, (k + 1) * D), x) < 1e-4, `tensor reconstruction ${k}`));
  assert.throws(() => makePlane(x1, x1, x3), /x2 equals x1/);
  const mid = x1.map((v, i) => (v + x2[i]) / 2);
  assert.throws(() => makePlane(x1, x2, mid), /collinear/);
});

test('plane grid: resolution² points over the bounding box with a 10% margin', () => {
  const g = planeGrid(
    [
      [0, 0],
      [10, 0],
      [4, 5],
    ],
    { resolution: 11 },
  );
  assert.equal(g.us.length, 11);
  assert.equal(gridPoints(g).length, 2 * 11 * 11);
  assert.ok(Math.abs(g.us[0] + 1) < 1e-12 && Math.abs(g.us[10] - 11) < 1e-12, `${g.us[0]} ${g.us[10]}`);
  assert.ok(Math.abs(g.vs[0] + 0.5) < 1e-12 && Math.abs(g.vs[10] - 5.5) < 1e-12);
  const pts = gridPoints(g);
  assert.equal(pts[2 * (3 * 11 + 7)], g.us[3]);
  assert.equal(pts[2 * (3 * 11 + 7) + 1], g.vs[7]);
  assert.equal(
    planeGrid([
      [0, 0],
      [1, 0],
      [0, 1],
    ]).us.length,
    75,
  );
});

test('plane sampling is seeded: one forget and two distinct retain images, forget images used evenly', () => {
  const forget = [3, 7, 11],
    retain = [0, 1, 2, 4, 5];
  const a = samplePlaneTriples(forget, retain, 9, 4);
  assert.deepEqual(a, samplePlaneTriples(forget, retain, 9, 4));
  assert.notDeepEqual(a, samplePlaneTriples(forget, retain, 9, 5));
  for (const t of a) {
    assert.ok(forget.includes(t.forget) && retain.includes(t.retain[0]) && retain.includes(t.retain[1]));
    assert.notEqual(t.retain[0], t.retain[1]);
  }
  for (const f of forget) assert.equal(a.filter((t) => t.forget === f).length, 3);
});

test('grid inference: resolution² classes, batching-independent, equal to a direct forward pass', async () => {
  await ensureBackend();
  const model = createModel({ arch: 'cnn4', k: 2, numClasses: 4, inputShape: SHAPE }, 3);
  const [x1, x2, x3] = randomImages(3, 2);
  const p = makePlane(x1, x2, x3);
  const coords = gridPoints(planeGrid(p.anchors, { resolution: 6 }));
  const before = tf.memory().numTensors;
  const big = planeClasses(model, p, coords, { batchSize: 1000 });
  const small = planeClasses(model, p, coords, { batchSize: 7 });
  assert.equal(tf.memory().numTensors, before);
  assert.equal(big.length, 36);
  assert.deepEqual(small, big);
  const direct = tf.tidy(() => tf.argMax(forward(model, planeImages(p, coords, SHAPE)), 1).dataSync());
  assert.deepEqual(Array.from(big), Array.from(direct));
  disposeModel(model);
});

test('identical models → similarity 1, change 0 on every plane (decisionRegions over a data set)', async () => {
  await ensureBackend();
  const r = rng(6, 'ds');
  const ds = makeDataset({
    name: 'toy',
    images: Uint8Array.from({ length: 12 * D }, () => r.int(256)),
    labels: Uint8Array.from({ length: 12 }, (_, i) => i % 4),
    height: 8,
    width: 8,
    channels: 3,
    classes: ['a', 'b', 'c', 'd'],
  });
  const a = createModel({ arch: 'cnn4', k: 2, numClasses: 4, inputShape: SHAPE }, 1);
  const b = cloneModel(a);
  const other = createModel({ arch: 'cnn4', k: 2, numClasses: 4, inputShape: SHAPE }, 2);
  const triples = samplePlaneTriples([0, 1], [2, 3, 4, 5, 6, 7], 3, 0);
  const regions = decisionRegions({ a, b, other }, ds, triples, { resolution: 8 });
  assert.equal(regions.length, 3);
  for (const reg of regions) {
    assert.equal(reg.classes.a.length, 64);
    assert.deepEqual(reg.anchors, planeOfTriple(ds, reg.triple).anchors);
  }
  const s = regionScores(regions, 'a', 'b');
  assert.equal(s.similarity.mean, 1);
  assert.equal(s.change.mean, 0);
  assert.equal(s.similarity.std, 0);
  assert.equal(s.similarity.n, 3);
  // Not vacuous: the grids hold several classes, and a differently initialised model differs somewhere.
  assert.ok(regions.some((reg) => new Set(reg.classes.a).size > 1));
  assert.ok(regionScores(regions, 'a', 'other').similarity.mean < 1);
  disposeModel(a);
  disposeModel(b);
  disposeModel(other);
});

test('a grid differing only near the forget image → change high, similarity ≈ 1', () => {
  const anchors: [number, number][] = [
    [0, 0],
    [10, 0],
    [3, 8],
  ];
  const grid = planeGrid(anchors, { resolution: 41 });
  const { near, radius } = neighbourhoodMask(anchors, grid, { radiusFraction: 0.5 });
  assert.ok(Math.abs(radius - 0.5 * Math.hypot(3, 8)) < 1e-12); // nearer retain anchor is (3, 8) at 8.54
  const base = new Uint16Array(41 * 41).fill(2);
  const changed = base.map((c, p) => (near[p] ? 5 : c));
  const one = planeRegionScore(base, changed, anchors, grid);
  assert.equal(one.change, 1);
  assert.equal(one.similarity, 1);
  assert.ok(one.nNear > 20 && one.nFar > 1000, `${one.nNear} near, ${one.nFar} far`);
  // Add a change to a few far points: similarity drops slightly, change unchanged.
  const more = Uint16Array.from(changed);
  let flipped = 0;
  for (let p = 0; p < more.length && flipped < 10; p++)
    if (!near[p]) {
      more[p] = 7;
      flipped++;
    }
  const two = planeRegionScore(base, more, anchors, grid);
  assert.equal(two.change, 1);
  assert.ok(Math.abs(two.similarity - (1 - 10 / two.nFar)) < 1e-12 && two.similarity > 0.99);
  // Averages over planes with standard deviation.
  const s = regionScores(
    [
      { anchors, grid, classes: { o: base, u: changed } },
      { anchors, grid, classes: { o: base, u: base } },
    ],
    'o',
    'u',
  );
  assert.equal(s.change.mean, 0.5);
  assert.ok(Math.abs(s.change.std - Math.SQRT1_2) < 1e-12);
  assert.throws(() => regionScores([{ anchors, grid, classes: { o: base } }], 'o', 'x'), /no classes for 'x'/);
});
