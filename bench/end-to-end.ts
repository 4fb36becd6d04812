// End-to-end training speed against PyTorch (issue "training at kernel speed"): the cpu-profile original
// (privacy, seed 0) trained by `unlearn train` in a fresh store beside bench/torch_speed.py --end-to-end running
// the same recipe on the same exported split, interleaved per (k, threads); whole-process wall time and peak RSS.
// Run: npx tsx bench/end-to-end.ts [--k 4,8] [--threads 1,2] [--epochs 30] [--repeat 1] [--bf16] [--checkout label=dir ...] [--json]
// --bf16 also times this checkout with UNLEARN_PRECISION=bf16 (bfloat16 convolutions); --checkout also times
// `unlearn train` of another checkout of this repository (e.g. the commit before a change).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { getProfile } from '../lib/experiment/profiles';
import { originalConfig } from '../lib/experiment/configs';
import { prepareData } from '../lib/experiment/data';
import { evalBatches } from '../lib/data/batches';
import { rng } from '../lib/util/rng';

const root = path.resolve(__dirname, '..');
const { values: o } = parseArgs({
  options: {
    k: { type: 'string', default: '4,8' },
    threads: { type: 'string', default: '1,2' },
    epochs: { type: 'string' },
    repeat: { type: 'string', default: '1' },
    python: { type: 'string', default: '/usr/bin/python3' },
    json: { type: 'boolean', default: false },
    bf16: { type: 'boolean', default: false },
    checkout: { type: 'string', multiple: true, default: [] },
  },
});
const checkouts = (o.checkout ?? []).map((s) => {
  const i = s.indexOf('=');
  if (i <= 0) throw new Error(`--checkout wants label=dir, got '${s}'`);
  return { label: s.slice(0, i), dir: path.resolve(s.slice(i + 1)), env: {} as NodeJS.ProcessEnv };
});
/** This checkout again with bfloat16 convolutions, timed and reported like ours. */
const BF16 = 'ours bf16';
const variants = [{ label: 'ours', dir: root, env: {} as NodeJS.ProcessEnv }];
if (o.bf16) variants.push({ label: BF16, dir: root, env: { UNLEARN_PRECISION: 'bf16' } });
const ints = (s: string) =>
  s
    .split(',')
    .map(Number)
    .filter((v) => Number.isInteger(v) && v > 0);

/** Wall seconds and peak RSS of one process, through GNU time. */
interface Run {
  seconds: number;
  rssMiB: number;
}

function measured(cmd: string[], env: NodeJS.ProcessEnv): Run | string {
  const r = spawnSync('/usr/bin/time', ['-f', '@@%e %M', ...cmd], { env, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.error) return `${r.error.message} (GNU time: apt-get install time)`;
  const m = /@@([\d.]+) (\d+)/.exec(r.stderr);
  if (r.status !== 0 || !m)
    return `exit ${r.status}: ${
      (r.stderr || '')
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('@@'))
        .slice(-1)[0]
    }`;
  return { seconds: Number(m[1]), rssMiB: Number(m[2]) / 1024 };
}

/** Writes the split the original trains and is evaluated on (normalised NHWC float32, int32 labels). */
async function exportSplit(dir: string, k: number): Promise<{ epochs: number; batch: number; lr: number; images: number }> {
  const cfg = await originalConfig(getProfile('cpu'), { goal: 'privacy', k, seed: 0 });
  const d = await prepareData(cfg.data, 0);
  const write = (name: string, x: Float32Array, y: Int32Array) => {
    fs.writeFileSync(path.join(dir, `${name}.x.f32`), Buffer.from(x.buffer, x.byteOffset, x.byteLength));
    fs.writeFileSync(path.join(dir, `${name}.y.i32`), Buffer.from(y.buffer, y.byteOffset, y.byteLength));
  };
  const all = [...d.sources.train.epoch(rng(0, 'export'), d.sources.train.size)][0];
  write('train', all.x, all.y);
  const s = d.splits;
  for (const [name, ds, idx, labels] of [
    ['retain', d.train, s.retain, s.trainLabels],
    ['forget', d.train, s.forget, s.trainLabels],
    ['validation', d.train, s.validation, s.trueLabels],
    ['test', d.test, s.test, undefined],
  ] as const) {
    const b = [...evalBatches(ds, idx, Math.max(1, idx.length), labels ? { labels } : {})][0];
    write(name, b.x, b.y);
  }
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ shape: d.shape, numClasses: d.numClasses, recipe: cfg.recipe }));
  return { epochs: cfg.recipe.epochs, batch: cfg.recipe.batchSize, lr: cfg.recipe.lr, images: d.sources.train.size };
}

async function main() {
  const ks = ints(o.k!),
    threads = ints(o.threads!),
    repeat = Math.max(1, Number(o.repeat));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unlearn-e2e-'));
  const recipe = await exportSplit(tmp, ks[0]);
  const epochs = o.epochs ? Number(o.epochs) : recipe.epochs;
  const torchOk = spawnSync(o.python!, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
  if (!torchOk) console.error(`PyTorch not importable with ${o.python} (apt-get install python3-torch): torch rows skipped`);
  /** Every run of a cell, in order (the tables show the best; the spread says how much a single run moves). */
  const all = new Map<string, (Run | string)[]>();
  const keep = (key: string, r: Run | string) => all.set(key, [...(all.get(key) ?? []), r]);
  /** The fastest run of a cell, or its last error when none succeeded. */
  const best = (key: string): Run | string | undefined => {
    const runs = all.get(key) ?? [];
    const ok = runs.filter((r): r is Run => typeof r !== 'string');
    return ok.length ? ok.reduce((a, b) => (b.seconds < a.seconds ? b : a)) : runs.at(-1);
  };
  for (let rep = 0; rep < repeat; rep++) {
    for (const k of ks) {
      for (const t of threads) {
        for (const { label, dir, env: extra } of [...variants, ...checkouts]) {
          const store = fs.mkdtempSync(path.join(tmp, 'store-'));
          const env = {
            ...process.env,
            UNLEARN_STORE: store,
            UNLEARN_THREADS: String(t),
            UNLEARN_BACKEND: 'onednn',
            UNLEARN_PROFILE: 'cpu',
            UNLEARN_PRECISION: 'f32',
            ...extra,
          };
          keep(
            `${label} ${k} ${t}`,
            measured(
              [
                process.execPath,
                path.join(dir, 'bin/unlearn.js'),
                'train',
                '--k',
                String(k),
                '--seed',
                '0',
                '--epochs',
                String(epochs),
                '--json',
              ],
              env,
            ),
          );
          fs.rmSync(store, { recursive: true, force: true });
        }
        if (torchOk)
          keep(
            `torch ${k} ${t}`,
            measured(
              [
                o.python!,
                path.join(root, 'bench/torch_speed.py'),
                '--end-to-end',
                tmp,
                '--k',
                String(k),
                '--threads',
                String(t),
                '--epochs',
                String(epochs),
              ],
              { ...process.env, OMP_NUM_THREADS: String(t) },
            ),
          );
        const cell = (label: string) => `${label} ${fmt(all.get(`${label} ${k} ${t}`)?.at(-1))} (best ${fmt(best(`${label} ${k} ${t}`))})`;
        const labels = [...variants, ...checkouts].map((v) => v.label).concat(torchOk ? ['torch'] : []);
        console.error(`run ${rep + 1}/${repeat}, k=${k} ${t} thread(s): ${labels.map(cell).join(', ')}`);
      }
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  const rows = ks.flatMap((k) =>
    threads.map((t) => {
      const a = best(`ours ${k} ${t}`),
        b = best(`torch ${k} ${t}`),
        one = best(`ours ${k} ${threads[0]}`),
        h = best(`${BF16} ${k} ${t}`),
        hOne = best(`${BF16} ${k} ${threads[0]}`);
      const num = (r: Run | string | undefined) => (typeof r === 'object' ? r : undefined);
      return {
        k,
        threads: t,
        epochs,
        oursSeconds: num(a)?.seconds ?? null,
        torchSeconds: num(b)?.seconds ?? null,
        speedup: num(a) && num(b) ? num(b)!.seconds / num(a)!.seconds : null,
        threadScaling: num(a) && num(one) ? num(one)!.seconds / num(a)!.seconds : null,
        oursRssMiB: num(a)?.rssMiB ?? null,
        torchRssMiB: num(b)?.rssMiB ?? null,
        rssRatio: num(a) && num(b) ? num(a)!.rssMiB / num(b)!.rssMiB : null,
        bf16: o.bf16
          ? {
              seconds: num(h)?.seconds ?? null,
              speedup: num(h) && num(b) ? num(b)!.seconds / num(h)!.seconds : null,
              overF32: num(h) && num(a) ? num(a)!.seconds / num(h)!.seconds : null,
              threadScaling: num(h) && num(hOne) ? num(hOne)!.seconds / num(h)!.seconds : null,
              rssMiB: num(h)?.rssMiB ?? null,
            }
          : null,
        runs: Object.fromEntries(
          [...variants, ...checkouts, { label: 'torch' }].map(({ label }) => [
            label,
            (all.get(`${label} ${k} ${t}`) ?? []).map((r) => (typeof r === 'string' ? null : r.seconds)),
          ]),
        ),
        others: Object.fromEntries(checkouts.map(({ label }) => [label, num(best(`${label} ${k} ${t}`))?.seconds ?? null])),
        errors: [a, b, ...(o.bf16 ? [h] : []), ...checkouts.map(({ label }) => best(`${label} ${k} ${t}`))].filter(
          (r) => typeof r === 'string',
        ),
      };
    }),
  );
  if (o.json) {
    process.stdout.write(JSON.stringify({ recipe: { ...recipe, epochs }, rows }, null, 2) + '\n');
    return;
  }
  console.log(
    `\nwhole training, cpu recipe (${recipe.batch} per batch, ${epochs} epochs, ${recipe.images.toLocaleString('en-US')} images, + evaluation), wall seconds of the process`,
  );
  console.log(
    ['k', 'threads', 'ours s', 'torch s', 'torch/ours', `ours ${threads[0]}t/this`, 'ours RSS', 'torch RSS', 'RSS ratio']
      .map((c) => c.padStart(14))
      .join(''),
  );
  const f = (v: number | null, d = 1, unit = '') => (v === null ? '-' : v.toFixed(d) + unit);
  for (const r of rows)
    console.log(
      [
        String(r.k),
        String(r.threads),
        f(r.oursSeconds),
        f(r.torchSeconds),
        f(r.speedup, 2, 'x'),
        f(r.threadScaling, 2, 'x'),
        f(r.oursRssMiB, 0),
        f(r.torchRssMiB, 0),
        f(r.rssRatio, 2, 'x'),
      ]
        .map((c) => c.padStart(14))
        .join(''),
    );
  if (o.bf16) {
    console.log('\nUNLEARN_PRECISION=bf16 (bfloat16 convolutions, f32 elsewhere), same runs');
    console.log(
      ['k', 'threads', 'bf16 s', 'torch/bf16', 'f32/bf16', `bf16 ${threads[0]}t/this`, 'bf16 RSS'].map((c) => c.padStart(14)).join(''),
    );
    for (const r of rows) {
      const b = r.bf16!;
      console.log(
        [
          String(r.k),
          String(r.threads),
          f(b.seconds),
          f(b.speedup, 2, 'x'),
          f(b.overF32, 2, 'x'),
          f(b.threadScaling, 2, 'x'),
          f(b.rssMiB, 0),
        ]
          .map((c) => c.padStart(14))
          .join(''),
      );
    }
  }
  if (repeat > 1) {
    console.log(`\nevery run (wall seconds, in order; the tables above show the best of ${repeat})`);
    for (const r of rows)
      console.log(
        `  k=${r.k} ${r.threads}t: ` +
          Object.entries(r.runs)
            .filter(([, v]) => v.length > 0)
            .map(([label, v]) => `${label} ${v.map((x) => (x === null ? 'failed' : x.toFixed(1))).join(' / ')}`)
            .join(', '),
      );
  }
  for (const { label } of checkouts) {
    console.log(`\n${label} (another checkout): wall seconds and how much faster this checkout is`);
    for (const r of rows) {
      const s = r.others[label];
      console.log(
        `  k=${r.k} ${r.threads}t: ${s === null ? 'failed' : `${s.toFixed(1)} s, this checkout ${r.oursSeconds ? (s / r.oursSeconds).toFixed(2) + 'x' : '-'}`}`,
      );
    }
  }
  for (const r of rows) for (const e of r.errors) console.log(`k=${r.k} ${r.threads}t: ${e}`);
}

const fmt = (r: Run | string | undefined) =>
  r === undefined ? '-' : typeof r === 'string' ? r : `${r.seconds.toFixed(1)} s, ${r.rssMiB.toFixed(0)} MiB`;

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
