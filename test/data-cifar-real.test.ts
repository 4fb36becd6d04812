// Real-data test: imports the shared 60,000-image CIFAR-10 JPEG archive into a temporary data root and
// checks counts, per-class counts, pixels against sharp's decode of the archived files, and statistics.
// Skipped when the archive is absent (set UNLEARN_CIFAR_JPEG to point elsewhere).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { CIFAR10_CLASSES } from '../lib/data/cifar-binary';
import { checkCifar10, importCifar10, loadCifar10 } from '../lib/data/cifar10';
import { CIFAR10_NORMALIZATION, computeNormalization } from '../lib/data/normalize';
import { classCounts, imageAt } from '../lib/data/types';

const ARCHIVE = process.env.UNLEARN_CIFAR_JPEG ?? '/work/shared/data/cifar10-jpeg.tar.gz';

/** One file of the archive, extracted with GNU tar (independent of our reader). */
function extract(member: string): Buffer {
  return execFileSync('tar', ['-xzOf', ARCHIVE, member], { maxBuffer: 1 << 20 });
}

test('import the shared CIFAR-10 JPEG archive (real data)', { skip: !fs.existsSync(ARCHIVE), timeout: 300_000 }, async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'data-real-'));
  try {
    const t0 = Date.now();
    const { manifest } = await importCifar10(ARCHIVE, { dataRoot: root });
    const seconds = (Date.now() - t0) / 1000;
    t.diagnostic(`imported ${manifest.counts.train + manifest.counts.test} images in ${seconds.toFixed(1)} s`);
    assert.deepEqual(manifest.counts, { train: 50000, test: 10000 });
    assert.deepEqual(manifest.classCounts.train, new Array(10).fill(5000));
    assert.deepEqual(manifest.classCounts.test, new Array(10).fill(1000));
    assert.equal(manifest.source.sidecarVerified, fs.existsSync(`${ARCHIVE}.sha256`));
    assert.deepEqual(fs.readdirSync(root), ['cifar10']);

    const { train, test: testDs } = await loadCifar10({ dataRoot: root });
    assert.equal(train.n, 50000);
    assert.equal(testDs.n, 10000);
    assert.deepEqual(classCounts(train), new Array(10).fill(5000));
    // Order: classes in the official label order, files sorted by name within a class.
    for (const [ds, split, cls, num, perClass] of [
      [train, 'train', 'cat', 123, 5000],
      [train, 'train', 'airplane', 0, 5000],
      [train, 'train', 'truck', 4999, 5000],
      [testDs, 'test', 'frog', 777, 1000],
    ] as const) {
      const file = `${split}/${cls}/${String(num).padStart(4, '0')}.jpg`;
      const c = CIFAR10_CLASSES.indexOf(cls);
      const i = c * perClass + num;
      const ref = await sharp(extract(file)).raw().toBuffer();
      assert.equal(ds.labels[i], c);
      assert.deepEqual(Buffer.from(imageAt(ds, i)), ref, `${file} is image ${i} of ${split}`);
    }
    // The JPEG copy's statistics are close to the official CIFAR-10 ones.
    const stats = computeNormalization(train);
    for (let c = 0; c < 3; c++) {
      assert.ok(Math.abs(stats.mean[c] - CIFAR10_NORMALIZATION.mean[c]) < 0.01, `mean ${stats.mean[c]}`);
      assert.ok(Math.abs(stats.std[c] - CIFAR10_NORMALIZATION.std[c]) < 0.01, `std ${stats.std[c]}`);
    }
    t.diagnostic(
      `JPEG copy statistics: mean ${stats.mean.map((v) => v.toFixed(4)).join(', ')}; ` +
        `std ${stats.std.map((v) => v.toFixed(4)).join(', ')}`,
    );
    const report = await checkCifar10({ dataRoot: root });
    assert.equal(report.ok, true, report.problems.join('\n'));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
