// Tests of the data-set registry (lib/data/registry.ts): each entry's classes and normalisation, the lookup that
// batches use, CIFAR-10's statistics unchanged, and Tiny ImageNet's loader and fingerprint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { gatherBatch } from '../lib/data/batches';
import { CIFAR10_CLASSES, cifarDataset } from '../lib/data/cifar-binary';
import {
  CIFAR10_NORMALIZATION,
  defaultNormalization,
  FASHION_MNIST_NORMALIZATION,
  IMAGENET_NORMALIZATION,
  normalizationLut,
} from '../lib/data/normalize';
import { datasets, normalizationOf } from '../lib/data/registry';
import { makeDataset, subsetDataset } from '../lib/data/types';
import { DataError } from '../lib/util/errors';

test('registry: every entry has classes, a normalisation and a loader; CIFAR-10 keeps its published statistics', () => {
  for (const [name, e] of Object.entries(datasets)) {
    const count = Array.isArray(e.classes) ? e.classes.length : (e.classes as { count: number }).count;
    assert.ok(count >= 2, `${name}: classes`);
    assert.equal(e.normalization.mean.length, e.normalization.std.length, `${name}: one std per mean`);
    assert.equal(typeof e.load, 'function');
  }
  assert.deepEqual(datasets.cifar10.classes, CIFAR10_CLASSES);
  assert.deepEqual(datasets.cifar10.normalization, { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616] });
  assert.equal(datasets['fashion-mnist'].normalization, FASHION_MNIST_NORMALIZATION);
  assert.deepEqual(datasets['tiny-imagenet'].normalization, { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
});

test("normalizationOf: the registered data set's statistics, else the channel default; subsets keep their data set", () => {
  const cifar = cifarDataset('cifar10/train', new Uint8Array(2 * 3072), Uint8Array.of(0, 1));
  assert.equal(normalizationOf(cifar), CIFAR10_NORMALIZATION);
  assert.equal(normalizationOf(subsetDataset(cifar, [1])), CIFAR10_NORMALIZATION);
  assert.equal(normalizationOf({ dataset: 'tiny-imagenet', channels: 3 }), IMAGENET_NORMALIZATION);
  assert.equal(normalizationOf({ dataset: 'fashion-mnist', channels: 1 }), FASHION_MNIST_NORMALIZATION);
  assert.equal(normalizationOf({ channels: 3 }), defaultNormalization(3));
  assert.equal(normalizationOf({ dataset: 'toString', channels: 1 }), defaultNormalization(1)); // own keys only
});

test('batches normalise each data set with its own statistics', () => {
  const images = Uint8Array.from({ length: 2 * 2 * 2 * 3 }, (_, i) => (i * 37) % 256);
  const parts = { images, labels: Uint8Array.of(0, 1), height: 2, width: 2, channels: 3, classes: ['a', 'b'] };
  const tiny = makeDataset({ ...parts, name: 'tiny-imagenet/train', dataset: 'tiny-imagenet' });
  const plain = makeDataset({ ...parts, name: 'toy' });
  const lutOf = (n: typeof CIFAR10_NORMALIZATION) => normalizationLut(n, 3);
  const expect = (lut: Float32Array) => Float32Array.from(images, (v, p) => lut[(p % 3) * 256 + v]);
  assert.deepEqual(gatherBatch(tiny, [0, 1]).x, expect(lutOf(IMAGENET_NORMALIZATION)));
  assert.deepEqual(gatherBatch(plain, [0, 1]).x, expect(lutOf(CIFAR10_NORMALIZATION))); // unregistered: as before
});

test('Tiny ImageNet through the registry: UNLEARN_TINY_IMAGENET, val as test, fingerprint; a missing release names the place', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tiny-reg-'));
  const rel = path.join(root, 'tiny-imagenet-200');
  const jpeg = (v: number) =>
    sharp({ create: { width: 64, height: 64, channels: 3, background: { r: v, g: 255 - v, b: 90 } } })
      .jpeg()
      .toBuffer();
  fs.mkdirSync(path.join(rel, 'val', 'images'), { recursive: true });
  fs.writeFileSync(path.join(rel, 'wnids.txt'), 'n01\nn02\n');
  const ann: string[] = [];
  for (const [k, w] of ['n01', 'n02'].entries()) {
    fs.mkdirSync(path.join(rel, 'train', w, 'images'), { recursive: true });
    for (const i of [0, 1]) fs.writeFileSync(path.join(rel, 'train', w, 'images', `${w}_${i}.JPEG`), await jpeg(40 * k + 10 * i));
    fs.writeFileSync(path.join(rel, 'val', 'images', `val_${k}.JPEG`), await jpeg(200 - 50 * k));
    ann.push(`val_${k}.JPEG\t${w}\t0\t0\t63\t63`);
  }
  fs.writeFileSync(path.join(rel, 'val', 'val_annotations.txt'), ann.join('\n') + '\n');
  const saved = process.env.UNLEARN_TINY_IMAGENET;
  try {
    process.env.UNLEARN_TINY_IMAGENET = rel;
    const { train, test: val, fingerprint } = await datasets['tiny-imagenet'].load();
    assert.deepEqual([train.n, val.n, train.height, train.channels], [4, 2, 64, 3]);
    assert.deepEqual([...val.labels], [0, 1]);
    assert.equal(normalizationOf(train), IMAGENET_NORMALIZATION);
    assert.match(fingerprint, /^sha256:[0-9a-f]{16}$/);
    fs.writeFileSync(path.join(rel, 'val', 'images', 'val_1.JPEG'), await jpeg(7));
    assert.notEqual((await datasets['tiny-imagenet'].load()).fingerprint, fingerprint, 'a changed image changes the fingerprint');
    process.env.UNLEARN_TINY_IMAGENET = path.join(root, 'absent');
    await assert.rejects(
      datasets['tiny-imagenet'].load(),
      (e: unknown) => e instanceof DataError && /UNLEARN_TINY_IMAGENET/.test(e.message),
    );
  } finally {
    if (saved === undefined) delete process.env.UNLEARN_TINY_IMAGENET;
    else process.env.UNLEARN_TINY_IMAGENET = saved;
    fs.rmSync(root, { recursive: true, force: true });
  }
});
