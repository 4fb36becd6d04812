// Results you can trust (issue 12): keys that include the compute identity, bit-identical results for one
// key, corrupt entries moved aside and recomputed, temporaries and partial checkpoints that never break a
// lookup, stale evaluations recomputed from the stored model, locks that survive kill -9, and output folders
// checked before any training — on the real CLI and store at the smoke profile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { ensureBackend } from '../lib/backend/select';
import { cached, entryDir, findEntry, readEntry, BusyError } from '../lib/store/store';
import { configHash } from '../lib/util/hash';
import { tryLock } from '../lib/store/lock';
import { getProfile } from '../lib/experiment/profiles';
import { originalConfig } from '../lib/experiment/configs';
import { trainOriginal } from '../lib/experiment/original';
import { dataKey } from '../lib/experiment/data';
import { FEATURES_VERSION, modelFeatures } from '../lib/experiment/features';
import { DivergenceError } from '../lib/util/errors';
import { createModel, disposeModel } from '../lib/models/model';
import { saveBundle } from '../lib/models/checkpoint';

const bin = path.join(__dirname, '..', 'bin', 'unlearn.js');
const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p));
const env = (store: string, extra: Record<string, string> = {}) => ({
  ...process.env,
  UNLEARN_PROFILE: 'smoke',
  UNLEARN_STORE: store,
  UNLEARN_BACKEND: 'onednn',
  UNLEARN_WORKERS: '1',
  ...extra,
});
const cli = (store: string, args: string[], extra: Record<string, string> = {}) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: env(store, extra) });
const trainJson = (store: string, extra: Record<string, string> = {}) => {
  const r = cli(store, ['train', '--k', '2', '--seed', '0', '--json'], extra);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout)[0] as { hash: string; dir: string; computed: boolean; errors: Record<string, number> };
};
const entries = (store: string, kind: string) =>
  fs.existsSync(path.join(store, kind)) ? fs.readdirSync(path.join(store, kind)).filter((n) => /^[0-9a-f]{16}$/.test(n)) : [];

test('1 and 2 threads give the same key and bit-identical models (the thread count is no part of the key)', () => {
  const a = tmp('st-a-'),
    b = tmp('st-b-');
  const a1 = trainJson(a, { UNLEARN_THREADS: '1' });
  const b2 = trainJson(b, { UNLEARN_THREADS: '2' });
  assert.equal(b2.hash, a1.hash);
  assert.ok(
    fs.readFileSync(path.join(a1.dir, 'model.ckpt')).equals(fs.readFileSync(path.join(b2.dir, 'model.ckpt'))),
    '1 and 2 threads → same bits',
  );
  assert.deepEqual(a1.errors, b2.errors);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(a1.dir, 'key.json'), 'utf8')).context.compute, { backend: 'onednn' });
  assert.match(JSON.parse(fs.readFileSync(path.join(a1.dir, 'key.json'), 'utf8')).context.data, /^sha256:[0-9a-f]{16}$/);
  assert.equal(trainJson(a, { UNLEARN_THREADS: '2' }).computed, false, 'reused whatever the thread count');
});

test('a model.ckpt with flipped weights (same size) is moved aside and recomputed, never trusted', () => {
  const store = tmp('st-ckpt-');
  const first = trainJson(store);
  const file = path.join(first.dir, 'model.ckpt');
  const buf = fs.readFileSync(file);
  for (let i = buf.length - 400; i < buf.length - 300; i++) buf[i] ^= 0x5a;
  fs.writeFileSync(file, buf);
  const r = cli(store, ['train', '--k', '2', '--seed', '0', '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /model\.ckpt.*(SHA-256|corrupt).*moved to .*corrupt/);
  const again = JSON.parse(r.stdout)[0];
  assert.equal(again.computed, true);
  assert.deepEqual(again.errors, first.errors, 'recomputed to the same numbers');
  assert.equal(fs.readdirSync(path.join(store, 'corrupt')).length, 1);
});

test('a corrupt result.json in one entry does not stop a sweep: it is named, moved aside and recomputed', () => {
  const store = tmp('st-sweep-');
  const args = ['sweep', '--k', '2', '--methods', 'retrain,finetune', '--json'];
  const r1 = cli(store, args);
  assert.equal(r1.status, 0, r1.stderr);
  const victim = entries(store, 'unlearn')[0];
  fs.writeFileSync(path.join(store, 'unlearn', victim, 'result.json'), '{ "truncated": ');
  const r2 = cli(store, args);
  assert.equal(r2.status, 0, r2.stderr);
  assert.match(r2.stderr, new RegExp(`${victim}.*result\\.json: is not valid JSON.*moved to`));
  const points = JSON.parse(r2.stdout).points as { hash: string; computed: boolean }[];
  assert.deepEqual(
    points.filter((p) => p.computed).map((p) => p.hash),
    [victim],
  );
});

test('temporaries, locks and partial checkpoints never match a lookup; stale temporaries are cleaned', async () => {
  await ensureBackend();
  const root = tmp('st-tmp-');
  const e = await cached('toy', { n: 1 }, async () => ({ result: { v: 1 } }), { root });
  // What an interrupted writer on this host (a pid that is not running) leaves behind.
  const dead = `${os.hostname()}-999999-1-0`;
  fs.mkdirSync(path.join(root, 'toy', `${e.hash}.tmp-${dead}`));
  fs.writeFileSync(path.join(root, 'toy', `${e.hash}.partial.ckpt`), 'garbage');
  fs.writeFileSync(path.join(root, 'toy', `${e.hash}.lock`), '');
  assert.equal(findEntry(e.hash, root)?.hash, e.hash, 'all 16 digits find the entry');
  await cached('toy', { n: 2 }, async () => ({ result: { v: 2 } }), { root });
  assert.ok(!fs.existsSync(path.join(root, 'toy', `${e.hash}.tmp-${dead}`)), "a dead writer's temporary is removed");
});

test('an unusable partial checkpoint (garbage, another architecture) is discarded with a warning and training restarts', async () => {
  await ensureBackend();
  const store = tmp('st-partial-');
  const cfg = await originalConfig(getProfile('smoke'), { goal: 'privacy', k: 2, seed: 0 });
  const hash = path.basename(entryDir('original', cfg, { context: await dataKey(cfg.data) })); // the CLI's key (onednn, 1 thread)
  fs.mkdirSync(path.join(store, 'original'), { recursive: true });
  fs.writeFileSync(path.join(store, 'original', `${hash}.partial.ckpt`), 'not a checkpoint at all');
  const r = cli(store, ['train', '--k', '2', '--seed', '0', '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /discarding the unusable partial checkpoint .*partial\.ckpt \(not a checkpoint bundle.*restarts/);
  // Another architecture's training state (k=8 weights) under this key.
  const s2 = tmp('st-arch-');
  const wide = createModel({ ...cfg.model, k: 8 }, 0);
  const tensors = Object.fromEntries([
    ...Object.entries(wide.params).map(([n, v]) => [`param:${n}`, v]),
    ...Object.entries(wide.buffers).map(([n, v]) => [`buffer:${n}`, v]),
  ]);
  saveBundle(path.join(s2, 'original', `${hash}.partial.ckpt`), { kind: 'train-state', epoch: 1, steps: 7, history: [] }, tensors);
  disposeModel(wide);
  const r2 = cli(s2, ['train', '--k', '2', '--seed', '0', '--json']);
  assert.equal(r2.status, 0, r2.stderr);
  assert.match(r2.stderr, /discarding the unusable partial checkpoint .*has shape .*restarts from epoch 1/);
  assert.deepEqual(JSON.parse(r2.stdout)[0].errors, JSON.parse(r.stdout)[0].errors, 'trained from scratch: same numbers');
});

test('features are stored with the model when it is trained; missing or of an older definition, they are recomputed from the stored model, not served or retrained', async () => {
  await ensureBackend();
  const store = tmp('st-feat-');
  process.env.UNLEARN_STORE = store;
  try {
    const cfg = await originalConfig(getProfile('smoke'), { goal: 'privacy', k: 2, seed: 0 });
    const e = await trainOriginal(cfg);
    const featuresDir = path.join(store, 'features');
    const dirs = () => fs.readdirSync(featuresDir).filter((n) => !n.includes('.'));
    assert.equal(dirs().length, 1, 'written right after training (one inference pass)');
    const stored = JSON.parse(fs.readFileSync(path.join(featuresDir, dirs()[0], 'config.json'), 'utf8'));
    assert.deepEqual([stored.definition, stored.model], [FEATURES_VERSION, { kind: 'original', hash: e.hash }]);
    const first = await modelFeatures(e, cfg.data, cfg.seed);
    // What an older code version wrote: the same model under another definition, other numbers — never served.
    await cached('features', { ...stored, definition: 'features-0' }, async () => ({ result: { numClasses: 10 } }), {
      context: await dataKey(cfg.data),
    });
    fs.rmSync(
      path.join(
        featuresDir,
        dirs().find(
          (d) => JSON.parse(fs.readFileSync(path.join(featuresDir, d, 'config.json'), 'utf8')).definition === FEATURES_VERSION,
        ) as string,
      ),
      { recursive: true },
    );
    const ckptTime = fs.statSync(path.join(e.dir, 'model.ckpt')).mtimeMs;
    const again = await modelFeatures(await trainOriginal(cfg), cfg.data, cfg.seed);
    assert.equal(fs.statSync(path.join(e.dir, 'model.ckpt')).mtimeMs, ckptTime, 'not retrained');
    assert.deepEqual(again, first, 'recomputed from the stored model: the same features');
    assert.equal(dirs().length, 2, 'stored again beside the old definition');
  } finally {
    delete process.env.UNLEARN_STORE;
  }
});

test('locks: a live owner makes others wait or skip; a lock whose owner was killed (-9) is taken over', async () => {
  const root = tmp('st-lock-');
  const cfg = { n: 7 };
  const dir = entryDir('toy', cfg, { root });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  // A live owner: a child process that holds the lock until it is killed with SIGKILL (no clean-up runs).
  const holder = spawn(process.execPath, [
    '-e',
    `const fs=require('fs');fs.writeFileSync(${JSON.stringify(dir + '.lock')}, JSON.stringify({host:require('os').hostname(),pid:process.pid,token:'t',since:'',what:'x'}));setTimeout(()=>{},60000)`,
  ]);
  await new Promise((r) => setTimeout(r, 500));
  await assert.rejects(
    cached('toy', cfg, async () => ({ result: { v: 1 } }), { root, onBusy: 'skip' }),
    BusyError,
  );
  let waited = false;
  const waiting = cached('toy', cfg, async () => ({ result: { v: 2 } }), {
    root,
    pollMs: 100,
    onWait: () => {
      waited = true;
    },
  });
  await new Promise((r) => setTimeout(r, 400));
  holder.kill('SIGKILL');
  const e = await waiting;
  assert.ok(waited, 'it waited while the owner lived');
  assert.deepEqual(e.result, { v: 2 }, "then took over the dead owner's lock and computed");
  assert.ok(!fs.existsSync(dir + '.lock'), 'released after computing');
  const mine = tryLock(dir + '.lock', 'test');
  assert.ok(mine);
  assert.equal(tryLock(dir + '.lock', 'test'), undefined, 'a held lock is not taken twice');
  mine!.release();
  assert.ok(readEntry('toy', cfg, { root }));
});

test('two concurrent identical sweeps on one store train each model once', async () => {
  const store = tmp('st-conc-');
  const args = ['sweep', '--k', '2', '--methods', 'retrain,finetune,scrub,negGradPlus', '--json'];
  const runOne = () =>
    new Promise<{ code: number; out: string; err: string }>((resolve) => {
      const c = spawn(process.execPath, [bin, ...args], { env: env(store) });
      let out = '',
        err = '';
      c.stdout.on('data', (d) => (out += d));
      c.stderr.on('data', (d) => (err += d));
      c.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    });
  const [a, b] = await Promise.all([runOne(), runOne()]);
  assert.equal(a.code, 0, a.err);
  assert.equal(b.code, 0, b.err);
  const pa = JSON.parse(a.out).points as { hash: string; computed: boolean }[];
  const pb = JSON.parse(b.out).points as { hash: string; computed: boolean }[];
  assert.deepEqual(
    pa.map((p) => p.hash),
    pb.map((p) => p.hash),
    'both see the same models',
  );
  const byA = pa.filter((p) => p.computed).map((p) => p.hash),
    byB = pb.filter((p) => p.computed).map((p) => p.hash);
  assert.deepEqual(
    byA.filter((h) => byB.includes(h)),
    [],
    'no model computed by both',
  );
  assert.equal(byA.length + byB.length, pa.length, 'every model computed by one of them');
  assert.equal(entries(store, 'original').length + entries(store, 'unlearn').length, pa.length);
});

test('a store under a file is refused before training, naming the folder; a diverging training leaks no tensors', async () => {
  const file = path.join(tmp('st-file-'), 'plain-file');
  fs.writeFileSync(file, 'x');
  const t0 = Date.now();
  const r = cli(path.join(file, 'store'), ['train', '--k', '2', '--seed', '0']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /plain-file\/store\/original: cannot be written: a part of this path is a file, not a folder \(ENOTDIR\)/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.doesNotMatch(r.stdout + r.stderr, /epochs in/, 'nothing was trained');
  assert.ok(Date.now() - t0 < 30000);

  await ensureBackend();
  process.env.UNLEARN_STORE = tmp('st-div-');
  try {
    const cfg = await originalConfig(getProfile('smoke'), { goal: 'privacy', k: 2, seed: 0 }, { lr: 1e9 });
    await assert.rejects(trainOriginal(cfg), DivergenceError); // warm-up: data and kernels loaded once
    const before = tf.memory().numTensors;
    await assert.rejects(trainOriginal(cfg), DivergenceError);
    assert.equal(tf.memory().numTensors, before, 'no tensor leaked by a failed training');
  } finally {
    delete process.env.UNLEARN_STORE;
  }
});

test('a full or read-only store is refused before training, naming the folder (tmpfs mounts; needs root)', (t) => {
  const mnt = tmp('st-mnt-');
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]).status !== 0) {
    t.skip('cannot mount a tmpfs here (not root)');
    return;
  }
  try {
    const full = cli(mnt, ['train', '--k', '2', '--seed', '0']);
    assert.equal(full.status, 1, full.stderr);
    assert.match(full.stderr, /st-mnt-\w+\/original: has only 1\.0 MiB free \(at least 64 MiB needed\)/);
    assert.equal(spawnSync('mount', ['-o', 'remount,ro', mnt]).status, 0);
    const ro = cli(mnt, ['train', '--k', '2', '--seed', '0']);
    assert.equal(ro.status, 1, ro.stderr);
    assert.match(ro.stderr, /st-mnt-\w+\/original: cannot be written: the file system is read-only \(EROFS\)/);
    assert.doesNotMatch(full.stdout + full.stderr + ro.stdout + ro.stderr, /epochs in|\n\s+at /, 'nothing trained, no stack trace');
  } finally {
    spawnSync('umount', [mnt]);
  }
});
