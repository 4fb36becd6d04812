// Tests of normalisation, augmentation (crop with zero padding, flip) and batch production.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../lib/util/rng';
import { augmentImage, augmentInto, drawAugment } from '../lib/data/augment';
import { batchSource, epochBatches, evalBatches, gatherBatch } from '../lib/data/batches';
import { CIFAR10_NORMALIZATION, computeNormalization, normalizationLut, UNIT_NORMALIZATION } from '../lib/data/normalize';
import { ImageDataset, imageAt } from '../lib/data/types';

/** Image i has pixel (y, x, c) = (i*7 + y*13 + x*3 + c*50) mod 251 + 1 (never 0). */
function toy(n: number, H = 8, W = 8, C = 3): ImageDataset {
  const images = new Uint8Array(n * H * W * C);
  for (let i = 0; i < n; i++)
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++)
        for (let c = 0; c < C; c++) {
          images[((i * H + y) * W + x) * C + c] = ((i * 7 + y * 13 + x * 3 + c * 50) % 251) + 1;
        }
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 3);
  return { name: 'toy', images, labels, n, height: H, width: W, channels: C, classes: ['a', 'b', 'c'] };
}

const px = (img: Uint8Array, W: number, C: number, y: number, x: number, c: number): number => img[(y * W + x) * C + c];

test('normalisation: (x/255 - mean) / std per channel; false = x/255', () => {
  const lut = normalizationLut(CIFAR10_NORMALIZATION, 3);
  for (const [c, v] of [
    [0, 0],
    [1, 128],
    [2, 255],
  ]) {
    const want = (v / 255 - CIFAR10_NORMALIZATION.mean[c]) / CIFAR10_NORMALIZATION.std[c];
    assert.ok(Math.abs(lut[c * 256 + v] - want) < 1e-6);
  }
  const unit = normalizationLut(false, 3);
  assert.ok(Math.abs(unit[2 * 256 + 51] - 0.2) < 1e-7);
  const ds = toy(2);
  const b = gatherBatch(ds, [1], { normalize: CIFAR10_NORMALIZATION });
  const img = imageAt(ds, 1);
  for (let p = 0; p < img.length; p++) {
    const c = p % 3;
    assert.ok(Math.abs(b.x[p] - (img[p] / 255 - CIFAR10_NORMALIZATION.mean[c]) / CIFAR10_NORMALIZATION.std[c]) < 1e-6);
  }
  assert.throws(() => normalizationLut({ mean: [0, 0], std: [1, 1] }, 3), RangeError);
});

test('computeNormalization matches a direct computation', () => {
  const ds = toy(5);
  const n = computeNormalization(ds);
  for (let c = 0; c < 3; c++) {
    const vals: number[] = [];
    for (let p = c; p < ds.images.length; p += 3) vals.push(ds.images[p] / 255);
    const m = vals.reduce((a, b) => a + b, 0) / vals.length;
    const sd = Math.sqrt(vals.reduce((a, b) => a + (b - m) ** 2, 0) / vals.length);
    assert.ok(Math.abs(n.mean[c] - m) < 1e-9 && Math.abs(n.std[c] - sd) < 1e-9);
  }
});

test('crop with zero padding: shifted content, zeros where the window leaves the image', () => {
  const H = 8,
    W = 8,
    C = 3;
  const img = imageAt(toy(1), 0);
  for (const [dy, dx] of [
    [4, 0],
    [-4, 0],
    [0, 4],
    [0, -4],
    [2, -3],
    [-1, 1],
  ]) {
    const out = augmentImage(img, H, W, C, { dy, dx, flip: false });
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++)
        for (let c = 0; c < C; c++) {
          const sy = y + dy,
            sx = x + dx;
          const inside = sy >= 0 && sy < H && sx >= 0 && sx < W;
          assert.equal(px(out, W, C, y, x, c), inside ? px(img, W, C, sy, sx, c) : 0, `dy=${dy} dx=${dx} (${y},${x},${c})`);
        }
  }
  // dy = 4 on a 32x32 image: the first 4 rows are zero (before normalisation), the rest is rows 4..31... shifted up.
  const big = imageAt(toy(1, 32, 32, 3), 0);
  const up = augmentImage(big, 32, 32, 3, { dy: 4, dx: 0, flip: false });
  assert.ok(up.subarray(28 * 32 * 3).every((v) => v === 0));
  assert.deepEqual(up.subarray(0, 28 * 32 * 3), big.subarray(4 * 32 * 3));
});

test('flip mirrors each row; flip + crop compose as torchvision (crop, then flip)', () => {
  const H = 8,
    W = 8,
    C = 3;
  const img = imageAt(toy(1), 0);
  const out = augmentImage(img, H, W, C, { dy: 0, dx: 0, flip: true });
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      for (let c = 0; c < C; c++) {
        assert.equal(px(out, W, C, y, x, c), px(img, W, C, y, W - 1 - x, c));
      }
  const crop = augmentImage(img, H, W, C, { dy: 1, dx: 2, flip: false });
  const both = augmentImage(img, H, W, C, { dy: 1, dx: 2, flip: true });
  const mirrored = augmentImage(crop, H, W, C, { dy: 0, dx: 0, flip: true });
  assert.deepEqual(both, mirrored);
});

test('padding becomes -mean/std after normalisation', () => {
  const ds = toy(1, 32, 32, 3);
  const lut = normalizationLut(CIFAR10_NORMALIZATION, 3);
  const x = new Float32Array(32 * 32 * 3);
  augmentInto(ds.images, 0, 32, 32, 3, { dy: 0, dx: -4, flip: false }, lut, x, 0);
  for (let y = 0; y < 32; y++)
    for (let xx = 0; xx < 4; xx++)
      for (let c = 0; c < 3; c++) {
        const want = -CIFAR10_NORMALIZATION.mean[c] / CIFAR10_NORMALIZATION.std[c];
        assert.ok(Math.abs(x[(y * 32 + xx) * 3 + c] - want) < 1e-6);
      }
});

test('drawAugment: offsets uniform in [-pad, pad], flip about half the time; pad 0 / flip false disable', () => {
  const r = rng(0, 'aug');
  const seen = new Map<number, number>();
  let flips = 0;
  for (let k = 0; k < 9000; k++) {
    const d = drawAugment(r, { pad: 4 });
    seen.set(d.dy, (seen.get(d.dy) ?? 0) + 1);
    assert.ok(d.dx >= -4 && d.dx <= 4);
    if (d.flip) flips++;
  }
  assert.deepEqual(
    [...seen.keys()].sort((a, b) => a - b),
    [-4, -3, -2, -1, 0, 1, 2, 3, 4],
  );
  for (const v of seen.values()) assert.ok(v > 850 && v < 1150);
  assert.ok(flips > 4200 && flips < 4800);
  assert.deepEqual(drawAugment(r, { pad: 0, flip: false }), { dy: 0, dx: 0, flip: false });
});

test('epoch batches: seeded shuffle per epoch, every index once, labels override, sizes', () => {
  const ds = toy(23);
  const idx = Int32Array.from([0, 2, 4, 5, 6, 8, 9, 10, 11, 13, 15, 17, 19, 20, 22]);
  const labels = Int32Array.from({ length: 23 }, (_, i) => 100 + i);
  const run = (seed: number, epoch: number) => [...epochBatches(ds, idx, rng(seed, 'epoch', epoch), 4, { labels, normalize: false })];
  const a = run(1, 0);
  assert.deepEqual(
    a.map((b) => b.n),
    [4, 4, 4, 3],
  );
  const order = a.flatMap((b) => [...b.indices]);
  assert.deepEqual(
    [...order].sort((p, q) => p - q),
    [...idx],
  );
  assert.notDeepEqual(order, [...idx]);
  for (const b of a) {
    assert.equal(b.x.length, b.n * 8 * 8 * 3);
    b.indices.forEach((i, k) => {
      assert.equal(b.y[k], 100 + i);
      assert.ok(Math.abs(b.x[k * 192 + 5] - ds.images[i * 192 + 5] / 255) < 1e-6);
    });
  }
  assert.deepEqual(
    run(1, 0).map((b) => [...b.indices]),
    a.map((b) => [...b.indices]),
  );
  assert.notDeepEqual(
    run(1, 1).flatMap((b) => [...b.indices]),
    order,
  );
  const dropped = [...epochBatches(ds, idx, rng(1), 4, { dropLast: true })];
  assert.deepEqual(
    dropped.map((b) => b.n),
    [4, 4, 4],
  );
  const plain = [...evalBatches(ds, idx, 6)];
  assert.deepEqual(
    plain.flatMap((b) => [...b.indices]),
    [...idx],
  );
  assert.throws(() => [...epochBatches(ds, [23], rng(1), 4)], RangeError);
});

test('augmented batches are deterministic in the rng and differ from plain ones', () => {
  const ds = toy(10, 32, 32, 3);
  const idx = Int32Array.from({ length: 10 }, (_, i) => i);
  const src = batchSource(ds, idx, { augment: { pad: 4 }, normalize: UNIT_NORMALIZATION });
  assert.equal(src.size, 10);
  assert.deepEqual(src.shape, [32, 32, 3]);
  const a = [...src.epoch(rng(3, 'e'), 5)];
  const b = [...src.epoch(rng(3, 'e'), 5)];
  assert.deepEqual(a, b);
  const c = [...src.epoch(rng(4, 'e'), 5)];
  assert.notDeepEqual(
    a.map((x) => x.x),
    c.map((x) => x.x),
  );
  // Same order with and without augmentation (augmentation draws come from their own stream).
  const noAug = [...batchSource(ds, idx, { normalize: UNIT_NORMALIZATION }).epoch(rng(3, 'e'), 5)];
  assert.deepEqual(
    noAug.map((x) => [...x.indices]),
    a.map((x) => [...x.indices]),
  );
  assert.notDeepEqual(
    noAug.map((x) => x.x),
    a.map((x) => x.x),
    'augmented pixels differ from the plain ones',
  );
});

test('speed: an epoch of 5,000 augmented 32×32 images in batches of 128 takes under 5 s', (t) => {
  const n = 5000;
  const images = new Uint8Array(n * 3072);
  for (let i = 0; i < images.length; i++) images[i] = (i * 2654435761) >>> 24;
  const ds: ImageDataset = { name: 'speed', images, labels: new Uint8Array(n), n, height: 32, width: 32, channels: 3, classes: ['a'] };
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  const t0 = Date.now();
  let count = 0;
  for (const b of epochBatches(ds, idx, rng(0), 128, { augment: {} })) count += b.n;
  const ms = Date.now() - t0;
  assert.equal(count, n);
  t.diagnostic(`augmented batches: ${Math.round((n / Math.max(ms, 1)) * 1000)} images/s`);
  assert.ok(ms < 5000, `${ms} ms for ${n} images`);
});
