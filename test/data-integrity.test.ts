// Tests of data integrity: CIFAR-10 import checks on full-size official-format batch files (10,000
// records per file, 1,000 per class in test; errors name the file and record), SHA-256 verification of
// the prepared cache on every load and in `unlearn data check`, and content fingerprints (CIFAR-10 and
// Fashion-MNIST) equal for equal bytes, across processes, and different after a one-byte change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gzipSync } from 'zlib';
import * as tar from 'tar';
import { DataError } from '../lib/util/errors';
import { CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES, CIFAR_PIXELS, CIFAR_RECORD } from '../lib/data/cifar-binary';
import {
  checkCifar10,
  cifar10Paths,
  formatCifar10Check,
  importCifar10,
  loadCifar10,
  prepareCifar10,
  readCifar10Manifest,
} from '../lib/data/cifar10';
import { bytesDigest } from '../lib/data/checksum';
import { loadFashionMnist } from '../lib/data/fashion-mnist';
import { rng } from '../lib/util/rng';

const REPO = path.join(__dirname, '..');
const BIN = path.join(REPO, 'bin', 'unlearn.js');
const FIX_BIN = path.join(REPO, 'data', 'fixtures', 'cifar-10-batches-bin');
const TINY_JPEG = path.join(REPO, 'data', 'fixtures', 'cifar10-jpeg-tiny.tar.gz');
/** The small fixtures' counts (4 records per train batch, 2 train and 1 test image per class). */
const FIXTURE_COUNTS = { train: 20, test: 10, trainPerClass: 2, testPerClass: 1 };

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'data-integrity-'));
process.on('exit', () => fs.rmSync(TMP, { recursive: true, force: true }));

/** A full-size official batch file: `n` records, label of record i = (i + shift) % 10, seeded pixels. */
function batchFile(n: number, seed: number, shift = 0): Buffer {
  const r = rng(seed, 'batch');
  const pool: Buffer[] = [];
  for (let k = 0; k < 31; k++) {
    const px = Buffer.alloc(CIFAR_PIXELS);
    for (let i = 0; i < px.length; i++) px[i] = r.int(256);
    pool.push(px);
  }
  const out = Buffer.alloc(n * CIFAR_RECORD);
  for (let i = 0; i < n; i++) {
    out[i * CIFAR_RECORD] = (i + shift) % 10;
    pool[(i * 7 + seed) % pool.length].copy(out, i * CIFAR_RECORD + 1);
  }
  return out;
}

/** The complete full-size official set (5 x 10,000 train records, 10,000 test), written once. */
const FULL = path.join(TMP, 'full', 'cifar-10-batches-bin');
fs.mkdirSync(FULL, { recursive: true });
CIFAR10_TRAIN_FILES.forEach((f, k) => fs.writeFileSync(path.join(FULL, f), batchFile(10000, k + 1, k)));
fs.writeFileSync(path.join(FULL, CIFAR10_TEST_FILE), batchFile(10000, 99));

let variants = 0;
/** A copy of the full set (hard links) with `file` replaced by `edit(its bytes)`. */
function variant(file: string, edit: (b: Buffer) => Buffer): string {
  const dir = path.join(TMP, `variant-${variants++}`, 'cifar-10-batches-bin');
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(FULL)) {
    if (f === file) fs.writeFileSync(path.join(dir, f), edit(Buffer.from(fs.readFileSync(path.join(FULL, f)))));
    else fs.linkSync(path.join(FULL, f), path.join(dir, f));
  }
  return dir;
}

function freshRoot(): string {
  return fs.mkdtempSync(path.join(TMP, 'root-'));
}

/** Nothing of a cache (not even a temporary) under the data root. */
function assertNothingWritten(root: string): void {
  assert.deepEqual(fs.readdirSync(root), [], 'nothing half-written under the data root');
}

function cli(root: string, ...args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, UNLEARN_DATA: root } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** `(await loadDataset(name)).fingerprint` in a fresh Node process. */
function fingerprintInChild(name: string, env: Record<string, string>): string {
  const code =
    `require('./lib/experiment/datasets').loadDataset(${JSON.stringify(name)})` +
    '.then((d) => console.log(d.fingerprint), (e) => { console.error(e.message); process.exit(1); })';
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd: REPO, encoding: 'utf8', env: { ...process.env, ...env } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test('import of the complete official-format set: counts, fingerprint recorded, verified load', async () => {
  const root = freshRoot();
  const { manifest } = await importCifar10(FULL, { dataRoot: root });
  assert.equal(manifest.source.kind, 'official-folder');
  assert.deepEqual(manifest.counts, { train: 50000, test: 10000 });
  assert.deepEqual(manifest.classCounts.test, new Array(10).fill(1000));
  assert.match(manifest.fingerprint ?? '', /^sha256:[0-9a-f]{16}$/);
  const data = await loadCifar10({ dataRoot: root });
  assert.equal(data.train.n, 50000);
  assert.equal(data.fingerprint, manifest.fingerprint);
});

test('a data_batch_3.bin cut at a record boundary (9,000 records) is rejected, naming it; nothing written', async () => {
  const dir = variant('data_batch_3.bin', (b) => b.subarray(0, 9000 * CIFAR_RECORD));
  const root = freshRoot();
  await assert.rejects(
    importCifar10(dir, { dataRoot: root }),
    (e: unknown) =>
      e instanceof DataError &&
      e.file === path.join(dir, 'data_batch_3.bin') &&
      /holds 9000 records .*expected exactly 10000 records of 3073 bytes/.test(e.message),
  );
  assertNothingWritten(root);
  // The same inside an archive: the error names the member's path in the archive.
  const archive = path.join(path.dirname(dir), 'cifar-10-binary.tar');
  await tar.c({ file: archive, cwd: path.dirname(dir), portable: true }, ['cifar-10-batches-bin']);
  await assert.rejects(
    importCifar10(archive, { dataRoot: root }),
    (e: unknown) =>
      e instanceof DataError && e.file === `${archive}:cifar-10-batches-bin/data_batch_3.bin` && /holds 9000 records/.test(e.message),
  );
  assertNothingWritten(root);
});

test('a bad label byte is rejected naming the batch file and the record', async () => {
  const dir = variant('data_batch_2.bin', (b) => {
    b[1234 * CIFAR_RECORD] = 10;
    return b;
  });
  const root = freshRoot();
  await assert.rejects(
    importCifar10(dir, { dataRoot: root }),
    (e: unknown) =>
      e instanceof DataError &&
      e.file === path.join(dir, 'data_batch_2.bin') &&
      /record 1234 has label byte 10, expected 0\.\.9/.test(e.message),
  );
  assertNothingWritten(root);
});

test('a test batch with a class count other than 1,000 is rejected naming test_batch.bin', async () => {
  // Record 0 is an airplane (label 0): relabel it automobile -> 999 airplanes, 1001 automobiles.
  const dir = variant(CIFAR10_TEST_FILE, (b) => {
    b[0] = 1;
    return b;
  });
  const root = freshRoot();
  await assert.rejects(
    importCifar10(dir, { dataRoot: root }),
    (e: unknown) =>
      e instanceof DataError &&
      e.file === path.join(dir, CIFAR10_TEST_FILE) &&
      /999 of class airplane, 1001 of class automobile; expected 10000 images, exactly 1000 of each/.test(e.message),
  );
  assertNothingWritten(root);
});

test('image-folder sources: totals and per-class counts are checked before decoding', async () => {
  const root = freshRoot();
  // The 30-image archive is not the full data set.
  await assert.rejects(
    importCifar10(TINY_JPEG, { dataRoot: root }),
    (e: unknown) =>
      e instanceof DataError &&
      e.file === TINY_JPEG &&
      /train\/ holds 20 images .*expected 50000 images, exactly 5000 of each/.test(e.message),
  );
  // Right total, wrong class counts in test: one dog image moved into cat.
  const folder = path.join(TMP, 'jpeg');
  fs.mkdirSync(folder);
  await tar.x({ file: TINY_JPEG, cwd: folder });
  fs.renameSync(path.join(folder, 'test', 'dog', '0000.jpg'), path.join(folder, 'test', 'cat', '0001.jpg'));
  await assert.rejects(
    importCifar10(folder, { dataRoot: root, expected: FIXTURE_COUNTS }),
    (e: unknown) =>
      e instanceof DataError &&
      e.file === folder &&
      /test\/ holds 10 images with 2 of class cat, 0 of class dog; expected 10 images, exactly 1 of each/.test(e.message),
  );
  assertNothingWritten(root);
});

test('a flipped byte in the prepared train.bin: load throws naming it, `data check` exits 1', async () => {
  const root = freshRoot();
  await importCifar10(FIX_BIN, { dataRoot: root, expected: FIXTURE_COUNTS });
  const p = cifar10Paths({ dataRoot: root });
  assert.equal(cli(root, 'data', 'check').status, 0);
  const bytes = fs.readFileSync(p.train);
  const bad = Buffer.from(bytes);
  bad[CIFAR_RECORD + 500] ^= 0x01; // a pixel byte of record 1; same size
  fs.writeFileSync(p.train, bad);
  await assert.rejects(
    loadCifar10({ dataRoot: root }),
    (e: unknown) =>
      e instanceof DataError &&
      e.file === p.train &&
      /SHA-256 .* differs from .* manifest\.json.*unlearn data prepare --force/.test(e.message),
  );
  const check = cli(root, 'data', 'check');
  assert.equal(check.status, 1, check.out);
  assert.match(check.out, /PROBLEMS/);
  assert.ok(check.out.includes(`${p.train}: SHA-256`), check.out);
  const report = await checkCifar10({ dataRoot: root });
  assert.equal(report.ok, false);
  assert.equal(report.files[0].sha256Match, false);
  // --fast skips the hashes (and says the fingerprint is not verified).
  const fast = cli(root, 'data', 'check', '--fast');
  assert.equal(fast.status, 0, fast.out);
  assert.match(fast.out, /fingerprint: sha256:[0-9a-f]{16} \(from manifest\.json, not verified/);
  // Restored: loads again.
  fs.writeFileSync(p.train, bytes);
  assert.equal((await loadCifar10({ dataRoot: root })).train.n, 20);
});

test('fingerprint: equal for identical caches (also across processes), different after a one-byte change', async () => {
  const a = freshRoot();
  const b = freshRoot();
  await importCifar10(FIX_BIN, { dataRoot: a, expected: FIXTURE_COUNTS });
  await importCifar10(FIX_BIN, { dataRoot: b, expected: FIXTURE_COUNTS });
  const fa = (await loadCifar10({ dataRoot: a })).fingerprint;
  assert.match(fa, /^sha256:[0-9a-f]{16}$/);
  assert.equal((await loadCifar10({ dataRoot: b })).fingerprint, fa);
  assert.equal(readCifar10Manifest({ dataRoot: a }).fingerprint, fa);
  assert.equal(fingerprintInChild('cifar10', { UNLEARN_DATA: a }), fa);
  assert.equal(fingerprintInChild('cifar10', { UNLEARN_DATA: b }), fa);
  const check = cli(a, 'data', 'check');
  assert.equal(check.status, 0, check.out);
  assert.ok(check.out.includes(`fingerprint: ${fa} (from the files' SHA-256)`), check.out);
  // One pixel byte different in the source.
  const edited = (edit: (b: Buffer) => void): string => {
    const dir = path.join(fs.mkdtempSync(path.join(TMP, 'src-')), 'cifar-10-batches-bin');
    fs.cpSync(FIX_BIN, dir, { recursive: true });
    const f = path.join(dir, 'data_batch_1.bin');
    const bytes = fs.readFileSync(f);
    edit(bytes);
    fs.writeFileSync(f, bytes);
    return dir;
  };
  const pixel = freshRoot();
  await importCifar10(
    edited((x) => {
      x[2 * CIFAR_RECORD + 1000] ^= 0x01;
    }),
    { dataRoot: pixel, expected: FIXTURE_COUNTS },
  );
  const fp = (await loadCifar10({ dataRoot: pixel })).fingerprint;
  assert.notEqual(fp, fa);
  assert.equal(fingerprintInChild('cifar10', { UNLEARN_DATA: pixel }), fp);
  // Labels of two records swapped (class counts unchanged).
  const label = freshRoot();
  await importCifar10(
    edited((x) => {
      assert.notEqual(x[0], x[2 * CIFAR_RECORD]);
      [x[0], x[2 * CIFAR_RECORD]] = [x[2 * CIFAR_RECORD], x[0]];
    }),
    { dataRoot: label, expected: FIXTURE_COUNTS },
  );
  const fl = (await loadCifar10({ dataRoot: label })).fingerprint;
  assert.notEqual(fl, fa);
  assert.notEqual(fl, fp);
});

test('a cache from before import checks and fingerprints: fingerprint derived, recorded by prepare; 49,000 images fail', async () => {
  const root = freshRoot();
  await importCifar10(FULL, { dataRoot: root });
  const p = cifar10Paths({ dataRoot: root });
  const manifest = readCifar10Manifest({ dataRoot: root });
  const fp = manifest.fingerprint;
  const old = { ...manifest } as Record<string, unknown>;
  delete old.fingerprint;
  delete old.expected;
  fs.writeFileSync(p.manifest, JSON.stringify(old, null, 2));
  assert.equal((await loadCifar10({ dataRoot: root })).fingerprint, fp);
  const prep = await prepareCifar10({ dataRoot: root });
  assert.equal(prep.action, 'present');
  assert.equal(readCifar10Manifest({ dataRoot: root }).fingerprint, fp);
  // What the old import made of a source with a 9,000-record data_batch_3.bin: a consistent 49,000-image cache.
  const train = fs.readFileSync(p.train);
  const cut = Buffer.concat([train.subarray(0, 29000 * CIFAR_RECORD), train.subarray(30000 * CIFAR_RECORD)]);
  fs.writeFileSync(p.train, cut);
  const counts = new Array(10).fill(0);
  for (let i = 0; i < 49000; i++) counts[cut[i * CIFAR_RECORD]]++;
  fs.writeFileSync(
    p.manifest,
    JSON.stringify({
      ...old,
      counts: { train: 49000, test: 10000 },
      classCounts: { ...manifest.classCounts, train: counts },
      files: { ...manifest.files, train: { file: 'train.bin', bytes: cut.length, records: 49000, sha256: bytesDigest(cut) } },
    }),
  );
  await assert.rejects(
    loadCifar10({ dataRoot: root }),
    (e: unknown) =>
      e instanceof DataError && e.file === p.train && /the train set holds 49000 images .*expected 50000 images/.test(e.message),
  );
  const report = await checkCifar10({ dataRoot: root });
  assert.equal(report.ok, false);
  assert.ok(
    report.problems.some((q) => q.startsWith(`${p.train}: the train set holds 49000 images`)),
    formatCifar10Check(report),
  );
  assert.equal(cli(root, 'data', 'check').status, 1);
});

/** An IDX file of unsigned bytes with the given shape. */
function idx(shape: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * shape.length);
  header[2] = 0x08;
  header[3] = shape.length;
  shape.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

test('Fashion-MNIST fingerprint: from the IDX contents (plain = gzip), across processes, one byte changes it', () => {
  const r = rng(3, 'fmnist');
  const files = (n: number): Record<string, Buffer> => {
    const px = new Uint8Array(n * 28 * 28).map(() => r.int(256));
    const lb = new Uint8Array(n).map((_, i) => i % 10);
    return { images: idx([n, 28, 28], px), labels: idx([n], lb) };
  };
  const train = files(30);
  const t10k = files(10);
  const write = (gz: boolean, edit?: (b: Buffer) => void): string => {
    const dir = fs.mkdtempSync(path.join(TMP, 'fmnist-'));
    for (const [prefix, set] of [
      ['train', train],
      ['t10k', t10k],
    ] as const) {
      const img = Buffer.from(set.images);
      if (edit && prefix === 't10k') edit(img);
      for (const [base, bytes] of [
        [`${prefix}-images-idx3-ubyte`, img],
        [`${prefix}-labels-idx1-ubyte`, set.labels],
      ] as const) {
        fs.writeFileSync(path.join(dir, gz ? `${base}.gz` : base), gz ? gzipSync(bytes) : bytes);
      }
    }
    return dir;
  };
  const plain = write(false);
  const loaded = loadFashionMnist({ dir: plain });
  assert.equal(loaded.train.n, 30);
  assert.match(loaded.fingerprint, /^sha256:[0-9a-f]{16}$/);
  assert.equal(loadFashionMnist({ dir: write(true) }).fingerprint, loaded.fingerprint);
  assert.equal(fingerprintInChild('fashion-mnist', { UNLEARN_FASHION_MNIST: plain }), loaded.fingerprint);
  const changed = loadFashionMnist({
    dir: write(false, (b) => {
      b[b.length - 1] ^= 0x01;
    }),
  });
  assert.notEqual(changed.fingerprint, loaded.fingerprint);
});
