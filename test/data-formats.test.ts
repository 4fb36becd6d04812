// Tests of the other data formats: generic image folders, Tiny ImageNet's layout, IDX / Fashion-MNIST,
// image headers, the decoder (worker threads vs in-process) and data-set helpers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gzipSync } from 'zlib';
import * as tar from 'tar';
import sharp from 'sharp';
import { DataError } from '../lib/util/errors';
import { readSourceFiles } from '../lib/data/archive';
import { decodeImages, startDecodeWorker, type JobReply } from '../lib/data/decode';
import { loadFashionMnist } from '../lib/data/fashion-mnist';
import { parseIdx } from '../lib/data/idx';
import { readImageHeader } from '../lib/data/image-header';
import { loadImageFolder } from '../lib/data/image-folder';
import { loadTinyImageNet } from '../lib/data/tiny-imagenet';
import { classCounts, concatDatasets, imageAt, makeDataset, subsetDataset } from '../lib/data/types';
import { fashionMnistDir, fashionMnistSkip } from './helpers/fashion-mnist';

const TINY_JPEG = path.join(__dirname, '..', 'data', 'fixtures', 'cifar10-jpeg-tiny.tar.gz');

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'data-fmt-'));
}

test('image folder: discovered classes (sorted), resize, grey, PNG; wrapping folder allowed', async () => {
  const tmp = tmpdir();
  const root = path.join(tmp, 'wrap', 'ds');
  fs.mkdirSync(root, { recursive: true });
  await tar.x({ file: TINY_JPEG, cwd: root });
  // Add a PNG (with alpha) to train/bird.
  const png = await sharp({ create: { width: 32, height: 32, channels: 4, background: { r: 10, g: 20, b: 30, alpha: 0.5 } } })
    .png()
    .toBuffer();
  fs.writeFileSync(path.join(root, 'train', 'bird', 'zzz.png'), png);
  const archive = path.join(tmp, 'ds.tar');
  await tar.c({ file: archive, cwd: tmp, portable: true }, ['wrap']);
  const sets = await loadImageFolder(archive, { name: 'toy' });
  assert.deepEqual(Object.keys(sets).sort(), ['test', 'train']);
  const tr = sets.train;
  assert.equal(tr.n, 21);
  assert.deepEqual(tr.classes, ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']);
  assert.deepEqual(classCounts(tr), [2, 2, 3, 2, 2, 2, 2, 2, 2, 2]);
  assert.equal(tr.name, 'toy/train');
  // train/bird/zzz.png is the last bird image (index 6); alpha dropped.
  assert.deepEqual([...imageAt(tr, 6).subarray(0, 3)], [10, 20, 30]);
  const small = await loadImageFolder(root, { splits: ['test'], width: 16, height: 16, resize: 'fill', channels: 1 });
  assert.deepEqual(Object.keys(small), ['test']);
  assert.equal(small.test.channels, 1);
  assert.equal(small.test.images.length, 10 * 16 * 16);
  const ref = await sharp(fs.readFileSync(path.join(root, 'test', 'cat', '0000.jpg')))
    .resize(16, 16, { fit: 'fill' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  assert.deepEqual(Buffer.from(imageAt(small.test, 3)), ref);
  await assert.rejects(
    loadImageFolder(root, { classes: ['airplane'] }),
    (e: unknown) => e instanceof DataError && /not among/.test(e.message),
  );
  await assert.rejects(loadImageFolder(root, { splits: ['val'] }), DataError);
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('Tiny ImageNet layout: wnids, train/<wnid>/images, val annotations; resize', async () => {
  const tmp = tmpdir();
  const src = path.join(tmp, 'src');
  fs.mkdirSync(src);
  await tar.x({ file: TINY_JPEG, cwd: src });
  const root = path.join(tmp, 'tiny-imagenet-200');
  const wnids = ['n02', 'n01']; // unsorted in wnids.txt on purpose
  fs.mkdirSync(path.join(root, 'val', 'images'), { recursive: true });
  fs.writeFileSync(path.join(root, 'wnids.txt'), wnids.join('\n') + '\n');
  const cls = ['cat', 'dog'];
  const ann: string[] = [];
  wnids.forEach((w, k) => {
    const dir = path.join(root, 'train', w, 'images');
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(src, 'train', cls[k], '0000.jpg'), path.join(dir, `${w}_0.JPEG`));
    fs.copyFileSync(path.join(src, 'train', cls[k], '0001.jpg'), path.join(dir, `${w}_1.JPEG`));
    fs.writeFileSync(path.join(root, 'train', w, `${w}_boxes.txt`), '');
    fs.copyFileSync(path.join(src, 'test', cls[k], '0000.jpg'), path.join(root, 'val', 'images', `val_${k}.JPEG`));
    ann.push(`val_${k}.JPEG\t${w}\t0\t0\t31\t31`);
  });
  fs.writeFileSync(path.join(root, 'val', 'val_annotations.txt'), ann.join('\n') + '\n');
  const { train, val, fingerprint } = await loadTinyImageNet(root, { size: 32 });
  assert.deepEqual(train.classes, ['n01', 'n02']);
  assert.equal(train.dataset, 'tiny-imagenet'); // RGB: the registry's Tiny ImageNet normalisation applies
  assert.match(fingerprint, /^sha256:[0-9a-f]{16}$/);
  const archive = path.join(tmp, 'tiny.tar');
  await tar.c({ file: archive, cwd: tmp }, ['tiny-imagenet-200']);
  assert.equal((await loadTinyImageNet(archive, { size: 32 })).fingerprint, fingerprint, 'folder and archive of the same bytes');
  assert.equal((await loadTinyImageNet(root, { size: 32, channels: 1 })).train.dataset, undefined);
  assert.deepEqual([...train.labels], [0, 0, 1, 1]);
  assert.deepEqual([...val.labels], [1, 0]); // val_0 is n02, val_1 is n01
  assert.equal(train.height, 32);
  const direct = await sharp(fs.readFileSync(path.join(src, 'train', 'dog', '0000.jpg')))
    .resize(32, 32, { fit: 'fill' })
    .raw()
    .toBuffer();
  assert.deepEqual(Buffer.from(imageAt(train, 0)), direct); // n01 = dog
  await assert.rejects(loadTinyImageNet(root), (e: unknown) => e instanceof DataError && /expected 64x64x3/.test(e.message));
  fs.rmSync(tmp, { recursive: true, force: true });
});

test(
  'Fashion-MNIST from the Debian package: 60000/10000 28x28x1, 10 classes of 6000/1000, its first labels',
  { skip: fashionMnistSkip() },
  () => {
    const { train, test: t, fingerprint } = loadFashionMnist({ dir: fashionMnistDir });
    for (const [ds, n] of [
      [train, 60000],
      [t, 10000],
    ] as const) {
      assert.deepEqual([ds.n, ds.height, ds.width, ds.channels], [n, 28, 28, 1]);
      assert.equal(ds.images.length, n * 28 * 28);
      assert.equal(ds.dataset, 'fashion-mnist');
      assert.equal(ds.classes.length, 10);
    }
    assert.deepEqual(classCounts(train), new Array(10).fill(6000));
    assert.deepEqual(classCounts(t), new Array(10).fill(1000));
    // The first labels of the published files (zalandoresearch/fashion-mnist, utils/mnist_reader.py reads the same).
    assert.deepEqual([...train.labels.subarray(0, 10)], [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    assert.deepEqual([...t.labels.subarray(0, 10)], [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    assert.equal(train.classes[0], 'T-shirt/top');
    assert.equal(train.classes[9], 'Ankle boot');
    // Debian's 0.0~git20200523.55506a9-1 (the four gzip files of the 2017 release).
    assert.equal(fingerprint, 'sha256:6e1b8248a371b684');
  },
);

test('IDX: plain and gzip parse; truncated and wrong magic are DataErrors', () => {
  const header = Buffer.from([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3]);
  const body = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  const idx = Buffer.concat([header, body]);
  assert.deepEqual(parseIdx(idx, 'a').shape, [2, 2, 3]);
  assert.deepEqual([...parseIdx(gzipSync(idx), 'a.gz').data], [...body]);
  assert.throws(
    () => parseIdx(idx.subarray(0, idx.length - 1), 'short'),
    (e: unknown) => e instanceof DataError && e.file === 'short',
  );
  assert.throws(
    () => parseIdx(Buffer.from([1, 2, 3, 4]), 'magic'),
    (e: unknown) => e instanceof DataError && /IDX/.test(e.message),
  );
  assert.throws(
    () => parseIdx(gzipSync(idx).subarray(0, 10), 'cut.gz'),
    (e: unknown) => e instanceof DataError && /gzip/.test(e.message),
  );
});

test('missing Fashion-MNIST names the file and how to install it', () => {
  assert.throws(
    () => loadFashionMnist({ dir: '/nonexistent' }),
    (e: unknown) => e instanceof DataError && /apt-get install dataset-fashion-mnist/.test(e.message),
  );
});

test('image headers: JPEG SOF and PNG IHDR', async () => {
  const files = await readSourceFiles(TINY_JPEG);
  assert.deepEqual(readImageHeader(files[0].data), { format: 'jpeg', width: 32, height: 32, channels: 3 });
  const png = await sharp({ create: { width: 7, height: 5, channels: 3, background: '#000' } })
    .png()
    .toBuffer();
  assert.deepEqual(readImageHeader(png), { format: 'png', width: 7, height: 5, channels: 3 });
  const grey = await sharp({ create: { width: 9, height: 4, channels: 3, background: '#fff' } })
    .toColourspace('b-w')
    .jpeg()
    .toBuffer();
  assert.deepEqual(readImageHeader(grey), { format: 'jpeg', width: 9, height: 4, channels: 1 });
  assert.equal(readImageHeader(Buffer.from('not an image')), undefined);
});

test('decoder: worker threads, batched (join) and per-image decoding give identical pixels', async () => {
  const files = (await readSourceFiles(TINY_JPEG)).sort((a, b) => (a.path < b.path ? -1 : 1));
  // Repeat the 30 images to get enough for the worker path, with a grey JPEG and a PNG mixed in.
  const grey = await sharp(files[3].data).toColourspace('b-w').jpeg().toBuffer();
  assert.equal(readImageHeader(grey)?.channels, 1);
  const png = await sharp(files[4].data).png().toBuffer();
  const items = Array.from({ length: 300 }, (_, i) => ({ name: `img${i}`, data: files[i % 30].data }));
  items[17] = { name: 'grey', data: grey };
  items[18] = { name: 'png', data: png };
  const spec = { width: 32, height: 32, channels: 3 as const };
  const workers = await decodeImages(items, spec, 'mem', { workers: 2, minParallel: 1, chunkSize: 70 });
  const inProc = await decodeImages(items, spec, 'mem', { workers: 0, join: false });
  assert.deepEqual(Buffer.from(workers), Buffer.from(inProc));
  for (const k of [0, 17, 18, 299]) {
    const ref = await sharp(items[k].data).toColourspace('srgb').removeAlpha().raw().toBuffer();
    assert.deepEqual(Buffer.from(workers.subarray(k * 3072, (k + 1) * 3072)), ref, `image ${k}`);
  }
  items[250] = { name: 'broken.jpg', data: Buffer.from('garbage') };
  await assert.rejects(
    decodeImages(items, spec, 'src.tar', { workers: 2, minParallel: 1, chunkSize: 70 }),
    (e: unknown) => e instanceof DataError && e.file === 'src.tar' && /broken\.jpg: cannot decode/.test(e.message),
  );
});

test('decode worker: the TypeScript worker module starts as a thread and answers a job with the in-process pixels', async () => {
  const files = (await readSourceFiles(TINY_JPEG)).sort((a, b) => (a.path < b.path ? -1 : 1)).slice(0, 5);
  const buffers = files.map((f) => Uint8Array.from(f.data));
  const spec = { width: 32, height: 32, channels: 3 as const };
  const worker = startDecodeWorker();
  try {
    const reply = await new Promise<JobReply>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.postMessage({ id: 7, buffers, joinable: new Uint8Array(buffers.length).fill(1), spec, concurrency: 2 });
    });
    assert.equal(reply.id, 7);
    assert.ok(reply.ok, reply.ok ? '' : reply.message);
    const inProc = await decodeImages(
      files.map((f) => ({ name: f.path, data: f.data })),
      spec,
      'mem',
      { workers: 0 },
    );
    assert.deepEqual(Buffer.from(reply.data), Buffer.from(inProc));
  } finally {
    await worker.terminate();
  }
});

test('data-set helpers: makeDataset validates, subset and concat copy', () => {
  const ds = makeDataset({
    name: 'd',
    images: Uint8Array.from({ length: 3 * 2 * 2 }, (_, i) => i),
    labels: Uint8Array.of(0, 1, 0),
    height: 2,
    width: 2,
    channels: 1,
    classes: ['a', 'b'],
  });
  assert.equal(ds.n, 3);
  const sub = subsetDataset(ds, [2, 0], { labels: Uint8Array.of(1, 1, 1) });
  assert.deepEqual([...sub.images], [8, 9, 10, 11, 0, 1, 2, 3]);
  assert.deepEqual([...sub.labels], [1, 1]);
  const cat = concatDatasets([ds, sub], 'c');
  assert.equal(cat.n, 5);
  assert.deepEqual([...cat.labels], [0, 1, 0, 1, 1]);
  assert.throws(() => makeDataset({ ...ds, labels: Uint8Array.of(0, 2, 0) }), RangeError);
  assert.throws(() => makeDataset({ ...ds, images: new Uint8Array(5) }), RangeError);
});
