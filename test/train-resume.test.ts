// The training loop is deterministic on a backend and an interrupted run resumes from its checkpoint to the
// same weights as an uninterrupted one; the store computes once, reuses, and finds entries by hash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { ensureBackend } from '../lib/backend/select';
import { createModel, disposeModel } from '../lib/models';
import type { Model } from '../lib/models';
import { train, type TrainOptions } from '../lib/train/loop';
import { crossEntropyLoss } from '../lib/train/cross-entropy-loss';
import { cached, readEntry, loadEntryModel, findEntry } from '../lib/store/store';
import type { BatchSource } from '../lib/train/source';
import { rng, type Rng } from '../lib/util/rng';

function source(n: number): BatchSource {
  const r = rng(5, 'data');
  const x = Float32Array.from({ length: n * 8 * 8 * 3 }, () => r.normal());
  const y = Int32Array.from({ length: n }, (_, i) => i % 3);
  return {
    size: n,
    shape: [8, 8, 3],
    *epoch(er: Rng, bs: number) {
      const p = er.permutation(n);
      for (let s = 0; s < n; s += bs) {
        const idx = p.subarray(s, Math.min(n, s + bs));
        const bx = new Float32Array(idx.length * 192);
        idx.forEach((k, i) => bx.set(x.subarray(k * 192, (k + 1) * 192), i * 192));
        yield { x: bx, y: Int32Array.from(idx, (k) => y[k]), n: idx.length };
      }
    },
  };
}

const spec = { arch: 'cnn4', k: 2, numClasses: 3, inputShape: [8, 8, 3] as [number, number, number] };
const opts = (extra: Partial<TrainOptions> = {}): TrainOptions => ({
  epochs: 4,
  batchSize: 8,
  lr: 0.05,
  schedule: { kind: 'cosine' },
  optimizer: { kind: 'sgd', momentum: 0.9, weightDecay: 5e-4 },
  seed: 11,
  phases: [{ name: 'train', source: source(40), loss: crossEntropyLoss }],
  ...extra,
});
const weights = (m: Model) =>
  Object.values(m.params)
    .flatMap((v) => Array.from(v.dataSync()))
    .concat(Object.values(m.buffers).flatMap((v) => Array.from(v.dataSync())));

test('same seed → identical weights; interrupted + resumed → identical weights', async () => {
  await ensureBackend();
  const a = createModel(spec, 3);
  await train(a, opts());
  const b = createModel(spec, 3);
  await train(b, opts());
  assert.deepEqual(weights(b), weights(a));

  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'resume-')), 'run.ckpt');
  const c = createModel(spec, 3);
  await assert.rejects(
    train(
      c,
      opts({
        checkpoint: file,
        checkpointEvery: 0,
        onEpoch: (s) => {
          if (s.epoch === 3) throw new Error('interrupted');
        },
      }),
    ),
    /interrupted/,
  );
  assert.ok(fs.existsSync(file), 'checkpoint written before the interruption');
  const d = createModel(spec, 99); // different init: everything must come from the checkpoint
  const h = await train(d, opts({ checkpoint: file, checkpointEvery: 0 }));
  assert.equal(h.resumedFromEpoch, 2);
  assert.equal(h.epochs.length, 4);
  const wa = weights(a),
    wd = weights(d);
  const maxDiff = wa.reduce((m, v, i) => Math.max(m, Math.abs(v - wd[i])), 0);
  assert.ok(maxDiff < 1e-6, `resumed run differs by ${maxDiff}`);
  assert.ok(!fs.existsSync(file), 'checkpoint removed after the run finished');
  [a, b, c, d].forEach(disposeModel);
});

test('the store computes once, reuses after, and leaves nothing behind when a computation fails', async () => {
  await ensureBackend();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'store-'));
  const config = { what: 'toy', k: 2, nested: { b: 1, a: [1, 2] } };
  let calls = 0;
  const compute = async () => {
    calls++;
    return { result: { value: 42 }, model: createModel(spec, 1) };
  };
  const first = await cached('toy', config, compute, { root });
  const second = await cached('toy', { nested: { a: [1, 2], b: 1 }, k: 2, what: 'toy' }, compute, { root });
  assert.equal(calls, 1);
  assert.equal(first.computed, true);
  assert.equal(second.computed, false);
  assert.equal(second.hash, first.hash);
  assert.deepEqual(second.result, { value: 42 });
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(first.dir, 'config.json'), 'utf8')), config);
  const m = loadEntryModel(second);
  assert.equal(Object.keys(m.params).length, Object.keys(createModel(spec, 1).params).length);
  disposeModel(m);
  await assert.rejects(
    cached(
      'toy',
      { other: 1 },
      async () => {
        throw new Error('boom');
      },
      { root },
    ),
    /boom/,
  );
  assert.equal(readEntry('toy', { other: 1 }, { root }), undefined);
  assert.deepEqual(fs.readdirSync(path.join(root, 'toy')), [first.hash]);
  assert.ok(tf.memory().numTensors >= 0);
});

test('findEntry: by hash or unique prefix in any kind, reading only the matching entries', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'store-find-'));
  const a = await cached('original', { n: 1 }, async () => ({ result: { v: 1 } }), { root });
  const b = await cached('regions', { n: 2 }, async () => ({ result: { v: 2 } }), { root });
  assert.equal(findEntry(a.hash, root)?.kind, 'original');
  assert.deepEqual(findEntry(b.hash.slice(0, 6), root)?.result, { v: 2 });
  assert.equal(findEntry('', root), undefined, 'an empty hash (a failed sweep point) finds nothing');
  assert.equal(findEntry('zzzz', root), undefined);
  // A corrupt entry elsewhere in the store is not read by a lookup that does not match it.
  fs.mkdirSync(path.join(root, 'unlearn', 'ffffffffffffffff'), { recursive: true });
  fs.writeFileSync(path.join(root, 'unlearn', 'ffffffffffffffff', 'result.json'), '{ truncated');
  fs.writeFileSync(path.join(root, 'unlearn', 'ffffffffffffffff', 'config.json'), '{}');
  assert.equal(findEntry(a.hash, root)?.hash, a.hash);
  // 17 entries: two of them share a first hex digit, so that one-digit prefix is ambiguous.
  const hashes = [];
  for (let n = 0; n < 17; n++) hashes.push((await cached('toy', { n }, async () => ({ result: {} }), { root })).hash);
  const digit = hashes.map((h) => h[0]).find((d, i, all) => all.indexOf(d) !== i)!;
  assert.throws(() => findEntry(digit, root), /hash prefix '.' matches \d+ entries .*give more digits/);
});
