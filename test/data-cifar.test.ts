// Tests of the CIFAR-10 binary format and cache (import from every source kind, load, check, errors),
// on the committed fixtures in data/fixtures/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import * as tar from 'tar';
import sharp from 'sharp';
import { DataError, UsageError } from '../lib/util/errors';
import { rng } from '../lib/util/rng';
import { CIFAR10_CLASSES, CIFAR10_TRAIN_FILES, CIFAR_RECORD, decodeCifarBinary, encodeCifarBinary } from '../lib/data/cifar-binary';
import {
  checkCifar10,
  cifar10Paths,
  formatCifar10Check,
  importCifar10,
  loadCifar10,
  prepareCifar10,
  readCifar10Manifest,
} from '../lib/data/cifar10';
import { dataRoot } from '../lib/data/paths';
import { classCounts, ImageDataset, imageAt } from '../lib/data/types';

const FIX = path.join(__dirname, '..', 'data', 'fixtures');
const BIN_DIR = path.join(FIX, 'cifar-10-batches-bin');
const TINY_JPEG = path.join(FIX, 'cifar10-jpeg-tiny.tar.gz');
/** The fixtures' counts (4 records per train batch, 2 train and 1 test image per class), not the official ones. */
const FIXTURE_COUNTS = { train: 20, test: 10, trainPerClass: 2, testPerClass: 1 };

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'data-cifar-'));
}

function fixtureTrainBytes(): Buffer {
  return Buffer.concat(CIFAR10_TRAIN_FILES.map((f) => fs.readFileSync(path.join(BIN_DIR, f))));
}

/** An official-style cifar-10-binary.tar.gz built from the binary fixture. */
async function officialStyleArchive(dir: string): Promise<string> {
  const stage = path.join(dir, 'stage');
  fs.cpSync(BIN_DIR, path.join(stage, 'cifar-10-batches-bin'), { recursive: true });
  const file = path.join(dir, 'cifar-10-binary.tar.gz');
  await tar.c({ gzip: true, file, cwd: stage, portable: true }, ['cifar-10-batches-bin']);
  return file;
}

function randomDataset(n: number, seed: number): ImageDataset {
  const r = rng(seed, 'toy');
  const images = new Uint8Array(n * 3072);
  for (let i = 0; i < images.length; i++) images[i] = r.int(256);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) labels[i] = r.int(10);
  return { name: 'toy', images, labels, n, height: 32, width: 32, channels: 3, classes: CIFAR10_CLASSES.slice() };
}

test('binary format: encode/decode round trip and R,G,B plane layout', () => {
  const ds = randomDataset(7, 1);
  const bytes = encodeCifarBinary(ds);
  assert.equal(bytes.length, 7 * CIFAR_RECORD);
  const back = decodeCifarBinary(bytes, 'mem', 'toy');
  assert.deepEqual(back.images, ds.images);
  assert.deepEqual(back.labels, ds.labels);
  // Image 3, pixel (y=5, x=9): channel c sits at record offset 1 + c*1024 + 5*32 + 9.
  const rec = 3 * CIFAR_RECORD;
  assert.equal(bytes[rec], ds.labels[3]);
  for (let c = 0; c < 3; c++) assert.equal(bytes[rec + 1 + c * 1024 + 5 * 32 + 9], imageAt(ds, 3)[(5 * 32 + 9) * 3 + c]);
});

test('binary format: truncated data and bad labels are DataErrors naming the file', () => {
  const bytes = encodeCifarBinary(randomDataset(3, 2));
  assert.throws(
    () => decodeCifarBinary(bytes.subarray(0, bytes.length - 10), 'short.bin', 'x'),
    (e: unknown) => e instanceof DataError && e.file === 'short.bin' && /multiple of .*3073/.test(e.message),
  );
  assert.throws(
    () => decodeCifarBinary(bytes, 'count.bin', 'x', 4),
    (e: unknown) => e instanceof DataError && e.file === 'count.bin' && /expected 4/.test(e.message),
  );
  const bad = bytes.slice();
  bad[CIFAR_RECORD] = 10;
  assert.throws(
    () => decodeCifarBinary(bad, 'label.bin', 'x'),
    (e: unknown) => e instanceof DataError && /record 1 has label byte 10/.test(e.message),
  );
});

test('import from the extracted cifar-10-batches-bin fixture, load and check', async () => {
  const root = tmpdir();
  const { manifest, dir } = await importCifar10(BIN_DIR, { expected: FIXTURE_COUNTS, dataRoot: root });
  assert.equal(dir, path.join(root, 'cifar10'));
  assert.equal(manifest.source.kind, 'official-folder');
  assert.equal(manifest.source.lossy, false);
  assert.deepEqual(manifest.counts, { train: 20, test: 10 });
  assert.deepEqual(manifest.classCounts.train, new Array(10).fill(2));
  assert.deepEqual(manifest.classCounts.test, new Array(10).fill(1));
  assert.deepEqual(fs.readFileSync(path.join(dir, 'train.bin')), fixtureTrainBytes());
  assert.deepEqual(fs.readFileSync(path.join(dir, 'test.bin')), fs.readFileSync(path.join(BIN_DIR, 'test_batch.bin')));
  const { train, test: testDs } = await loadCifar10({ dataRoot: root });
  assert.equal(train.n, 20);
  assert.equal(testDs.n, 10);
  assert.equal(train.images.length, 20 * 32 * 32 * 3);
  assert.deepEqual(classCounts(train), new Array(10).fill(2));
  const report = await checkCifar10({ dataRoot: root });
  assert.equal(report.ok, true, report.problems.join('\n'));
  assert.equal(
    report.files.every((f) => f.sha256Match === true),
    true,
  );
  assert.deepEqual(report.classCounts.test, new Array(10).fill(1));
  assert.match(formatCifar10Check(report), /OK/);
  fs.rmSync(root, { recursive: true, force: true });
});

test('import from the tiny JPEG archive equals the binary fixture (class order, names sorted)', async () => {
  const root = tmpdir();
  const { manifest, dir } = await importCifar10(TINY_JPEG, { expected: FIXTURE_COUNTS, dataRoot: root });
  assert.equal(manifest.source.kind, 'image-folder');
  assert.equal(manifest.source.lossy, true);
  assert.equal(manifest.source.sidecarVerified, false);
  assert.match(manifest.source.sha256 ?? '', /^[0-9a-f]{64}$/);
  assert.deepEqual(fs.readFileSync(path.join(dir, 'train.bin')), fixtureTrainBytes());
  const { train } = await loadCifar10({ dataRoot: root });
  // Image 5 = train/bird/0001.jpg (airplane 0000, 0001, automobile 0000, 0001, bird 0000, 0001).
  const files = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    tar
      .t({
        file: TINY_JPEG,
        onReadEntry: (e) => {
          if (e.path === 'train/bird/0001.jpg') {
            e.on('data', (c: Buffer) => chunks.push(c));
          } else e.resume();
        },
      })
      .then(() => resolve(Buffer.concat(chunks)), reject);
  });
  const ref = await sharp(files).raw().toBuffer();
  assert.equal(train.labels[5], 2);
  assert.deepEqual(Buffer.from(imageAt(train, 5)), ref);
  fs.rmSync(root, { recursive: true, force: true });
});

test('import from an extracted image folder and from an official-style tar.gz', async () => {
  const tmp = tmpdir();
  const folder = path.join(tmp, 'jpeg');
  fs.mkdirSync(folder);
  await tar.x({ file: TINY_JPEG, cwd: folder });
  const a = await importCifar10(folder, { expected: FIXTURE_COUNTS, dataRoot: path.join(tmp, 'a') });
  assert.equal(a.manifest.source.kind, 'image-folder');
  assert.deepEqual(fs.readFileSync(cifar10Paths({ dataRoot: path.join(tmp, 'a') }).train), fixtureTrainBytes());
  const archive = await officialStyleArchive(tmp);
  const b = await importCifar10(archive, { expected: FIXTURE_COUNTS, dataRoot: path.join(tmp, 'b') });
  assert.equal(b.manifest.source.kind, 'official-archive');
  assert.equal(b.manifest.source.officialMd5, false);
  assert.deepEqual(fs.readFileSync(cifar10Paths({ dataRoot: path.join(tmp, 'b') }).train), fixtureTrainBytes());
  // A required MD5 that does not match: error, nothing written.
  await assert.rejects(
    importCifar10(archive, { expected: FIXTURE_COUNTS, dataRoot: path.join(tmp, 'c'), md5: '0'.repeat(32) }),
    (e: unknown) => e instanceof DataError && e.file === archive && /MD5/.test(e.message),
  );
  assert.equal(fs.existsSync(path.join(tmp, 'c')), false);
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('checksum sidecar: a match is recorded, a mismatch fails and leaves nothing behind', async () => {
  const tmp = tmpdir();
  const copy = path.join(tmp, 'cifar10-jpeg-tiny.tar.gz');
  fs.copyFileSync(TINY_JPEG, copy);
  const { createHash } = await import('crypto');
  const good = createHash('sha256').update(fs.readFileSync(copy)).digest('hex');
  fs.writeFileSync(`${copy}.sha256`, `${good}  cifar10-jpeg-tiny.tar.gz\n`);
  const ok = await importCifar10(copy, { expected: FIXTURE_COUNTS, dataRoot: path.join(tmp, 'ok') });
  assert.equal(ok.manifest.source.sidecarVerified, true);
  fs.writeFileSync(`${copy}.sha256`, `${'ab'.repeat(32)}  cifar10-jpeg-tiny.tar.gz\n`);
  const root = path.join(tmp, 'bad');
  await assert.rejects(
    importCifar10(copy, { expected: FIXTURE_COUNTS, dataRoot: root }),
    (e: unknown) => e instanceof DataError && e.file === copy && /SHA-256 mismatch/.test(e.message),
  );
  assert.equal(fs.existsSync(root) ? fs.readdirSync(root).length : 0, 0, 'nothing half-written');
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('a truncated archive is a DataError naming it, and nothing is written', async () => {
  const tmp = tmpdir();
  const cut = path.join(tmp, 'cut.tar.gz');
  const whole = fs.readFileSync(TINY_JPEG);
  fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
  const root = path.join(tmp, 'root');
  await assert.rejects(
    importCifar10(cut, { expected: FIXTURE_COUNTS, dataRoot: root }),
    (e: unknown) => e instanceof DataError && e.file === cut && /truncated or corrupt/.test(e.message),
  );
  assert.equal(fs.existsSync(root) ? fs.readdirSync(root).length : 0, 0);
  // An uncompressed tar cut inside an entry (node-tar alone would end quietly with fewer files).
  const plain = gunzipSync(whole);
  const cutTar = path.join(tmp, 'cut.tar');
  fs.writeFileSync(cutTar, plain.subarray(0, 5000));
  await assert.rejects(
    importCifar10(cutTar, { expected: FIXTURE_COUNTS, dataRoot: root }),
    (e: unknown) => e instanceof DataError && e.file === cutTar && /truncated/.test(e.message),
  );
  assert.equal(fs.existsSync(root) ? fs.readdirSync(root).length : 0, 0);
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('an image of the wrong size is a DataError naming the image', async () => {
  const tmp = tmpdir();
  const folder = path.join(tmp, 'jpeg');
  fs.mkdirSync(folder);
  await tar.x({ file: TINY_JPEG, cwd: folder });
  const small = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } })
    .jpeg()
    .toBuffer();
  fs.writeFileSync(path.join(folder, 'train', 'cat', '0001.jpg'), small); // replaced: the counts stay right
  await assert.rejects(
    importCifar10(folder, { expected: FIXTURE_COUNTS, dataRoot: path.join(tmp, 'root') }),
    (e: unknown) =>
      e instanceof DataError && /train\/cat\/0001\.jpg: cannot decode image: decoded to 16x16x3, expected 32x32x3/.test(e.message),
  );
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('load: missing cache says to run `unlearn data prepare`; corrupt files are named', async () => {
  const root = tmpdir();
  await assert.rejects(
    loadCifar10({ dataRoot: root }),
    (e: unknown) => e instanceof DataError && /unlearn data prepare/.test(e.message) && e.file.endsWith('manifest.json'),
  );
  await importCifar10(BIN_DIR, { expected: FIXTURE_COUNTS, dataRoot: root });
  const p = cifar10Paths({ dataRoot: root });
  const bytes = fs.readFileSync(p.train);
  fs.writeFileSync(p.train, bytes.subarray(0, bytes.length - 100));
  await assert.rejects(
    loadCifar10({ dataRoot: root }),
    (e: unknown) => e instanceof DataError && e.file === p.train && /expected 20 records x 3073 bytes/.test(e.message),
  );
  const report = await checkCifar10({ dataRoot: root });
  assert.equal(report.ok, false);
  assert.equal(report.files[0].sha256Match, false);
  assert.ok(report.problems.some((q) => q.includes(p.train)));
  // Same size, flipped byte: the SHA-256 check (always on) sees it.
  const flipped = Buffer.from(bytes);
  flipped[100] ^= 0xff;
  fs.writeFileSync(p.train, flipped);
  await assert.rejects(
    loadCifar10({ dataRoot: root }),
    (e: unknown) => e instanceof DataError && e.file === p.train && /SHA-256/.test(e.message),
  );
  fs.writeFileSync(p.train, bytes);
  fs.rmSync(p.test);
  await assert.rejects(loadCifar10({ dataRoot: root }), (e: unknown) => e instanceof DataError && e.file === p.test);
  fs.rmSync(root, { recursive: true, force: true });
});

test('re-import needs force, replaces atomically; prepare is idempotent; UNLEARN_DATA is honoured', async () => {
  const root = tmpdir();
  await importCifar10(BIN_DIR, { expected: FIXTURE_COUNTS, dataRoot: root });
  await assert.rejects(importCifar10(TINY_JPEG, { expected: FIXTURE_COUNTS, dataRoot: root }), UsageError);
  const again = await importCifar10(TINY_JPEG, { expected: FIXTURE_COUNTS, dataRoot: root, force: true });
  assert.equal(again.manifest.source.kind, 'image-folder');
  assert.deepEqual(fs.readdirSync(root), ['cifar10']);
  assert.equal(readCifar10Manifest({ dataRoot: root }).source.kind, 'image-folder');
  const prep = await prepareCifar10({ expected: FIXTURE_COUNTS, dataRoot: root, from: BIN_DIR });
  assert.equal(prep.action, 'present');
  const saved = process.env.UNLEARN_DATA;
  process.env.UNLEARN_DATA = root;
  try {
    assert.equal(dataRoot(), path.resolve(root));
    assert.equal((await loadCifar10()).train.n, 20);
    assert.equal(dataRoot({ dataRoot: '/elsewhere' }), '/elsewhere');
  } finally {
    if (saved === undefined) delete process.env.UNLEARN_DATA;
    else process.env.UNLEARN_DATA = saved;
  }
  fs.rmSync(root, { recursive: true, force: true });
});
