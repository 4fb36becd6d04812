// Side-by-side ResNet-18k speed of our TF.js backends (`unlearn bench --json`) and Debian's PyTorch
// (bench/torch_speed.py) in one run, interleaved per width so machine load hits all alike; prints ratios.
// Run: npx tsx bench/compare.ts [--k 4,8,16,32] [--backends onednn,wasm,webgpu] [--threads 1,2] [--steps 3]
//        [--repeat 1] [--checkout label=dir ...] [--json]
// Every cell is a fresh process (its peak RSS is that cell's); with --repeat N the best of N is kept.
// --checkout adds onednn columns run from another checkout of this repository (e.g. a branch under test).
import { spawnSync } from 'child_process';
import * as path from 'path';
import { parseArgs } from 'util';

const root = path.resolve(__dirname, '..');
const { values: o } = parseArgs({
  options: {
    k: { type: 'string', default: '4,8,16,32' },
    backends: { type: 'string' }, // default onednn,wasm, plus webgpu when a hardware adapter answers
    threads: { type: 'string', default: '1,2' },
    steps: { type: 'string', default: '3' },
    repeat: { type: 'string', default: '1' },
    python: { type: 'string', default: '/usr/bin/python3' },
    checkout: { type: 'string', multiple: true, default: [] },
    json: { type: 'boolean', default: false },
  },
});
const checkouts = (o.checkout ?? []).map((s) => {
  const i = s.indexOf('=');
  if (i <= 0) throw new Error(`--checkout wants label=dir, got '${s}'`);
  return { label: s.slice(0, i), dir: path.resolve(s.slice(i + 1)) };
});
const ints = (s: string) =>
  s
    .split(',')
    .map((v) => Number(v.trim()))
    .filter((v) => Number.isInteger(v) && v > 0);
/** Whether UNLEARN_BACKEND=webgpu loads on a hardware (not software fallback) adapter here. */
function hardwareWebGpu(): boolean {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/unlearn.js'), 'info', '--json'], {
    env: { ...process.env, UNLEARN_BACKEND: 'webgpu' },
    encoding: 'utf8',
  });
  return r.status === 0 && lastJson(r.stdout).backend.adapter?.isFallback === false;
}
const backends = (o.backends ?? `onednn,wasm${hardwareWebGpu() ? ',webgpu' : ''}`)
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const ks = ints(o.k!),
  threads = ints(o.threads!);
const steps = Number(o.steps),
  repeat = Math.max(1, Number(o.repeat));

/** One measured cell. */
interface Cell {
  train: number;
  infer: number | null;
  rssMiB: number;
  deviceMiB?: number;
}

function lastJson(stdout: string): any {
  const i = stdout.indexOf('{');
  if (i < 0) throw new Error(`no JSON in output: ${stdout.slice(0, 200)}`);
  return JSON.parse(stdout.slice(i));
}

/** Our backend at width k; threads apply to onednn (UNLEARN_THREADS); wasm and cpu are single-threaded. */
function ours(backend: string, k: number, t: number, dir = root): Cell | string {
  const env = { ...process.env, UNLEARN_BACKEND: backend, UNLEARN_THREADS: String(t), OMP_NUM_THREADS: String(t) };
  const r = spawnSync(process.execPath, [path.join(dir, 'bin/unlearn.js'), 'bench', '--json', '--k', String(k), '--steps', String(steps)], {
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) return `exit ${r.status}: ${(r.stderr || '').trim().split('\n').slice(-1)[0]}`;
  const res = lastJson(r.stdout).results[0];
  return { train: res.trainImgPerSec, infer: res.inferImgPerSec, rssMiB: res.peakRssMiB, deviceMiB: res.deviceMiB };
}

function torch(k: number, t: number): Cell | string {
  const r = spawnSync(
    o.python!,
    [path.join(root, 'bench/torch_speed.py'), '--k', String(k), '--threads', String(t), '--steps', String(steps)],
    { encoding: 'utf8' },
  );
  if (r.error) return r.error.message;
  if (r.status !== 0) return `exit ${r.status}: ${(r.stderr || '').trim().split('\n').slice(-1)[0]}`;
  const res = lastJson(r.stdout).results[0];
  return { train: res.trainImgPerSec, infer: res.inferImgPerSec, rssMiB: res.peakRssMiB };
}

/** Column name → k → best cell (or the error of the last attempt). */
const table = new Map<string, Map<number, Cell | string>>();
function record(col: string, k: number, c: Cell | string) {
  if (!table.has(col)) table.set(col, new Map());
  const m = table.get(col)!;
  const prev = m.get(k);
  if (typeof c === 'string') {
    if (prev === undefined) m.set(k, c);
    return;
  }
  if (prev === undefined || typeof prev === 'string') {
    m.set(k, c);
    return;
  }
  m.set(k, {
    train: Math.max(prev.train, c.train),
    infer: Math.max(prev.infer ?? 0, c.infer ?? 0) || null,
    rssMiB: Math.max(prev.rssMiB, c.rssMiB),
    deviceMiB: Math.max(prev.deviceMiB ?? 0, c.deviceMiB ?? 0),
  });
}

const torchOk = spawnSync(o.python!, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
if (!torchOk) console.error(`PyTorch not importable with ${o.python} (apt-get install python3-torch): torch columns skipped`);
for (let rep = 0; rep < repeat; rep++) {
  for (const k of ks) {
    for (const t of threads) {
      if (torchOk) record(`torch ${t}t`, k, torch(k, t));
      for (const b of backends) {
        if (b !== 'onednn' && t !== threads[0]) continue; // single-threaded backends: once
        record(b === 'onednn' ? `onednn ${t}t` : b, k, ours(b, k, t));
      }
      for (const c of checkouts) record(`${c.label} ${t}t`, k, ours('onednn', k, t, c.dir));
    }
    console.error(`k=${k} done (repeat ${rep + 1}/${repeat})`);
  }
}

const cols = [...table.keys()];
const fmt = (c: Cell | string | undefined, f: (c: Cell) => number | null) =>
  c === undefined ? '-' : typeof c === 'string' ? 'fail' : (f(c)?.toFixed(0) ?? '-');
const ratio = (a: Cell | string | undefined, b: Cell | string | undefined, f: (c: Cell) => number | null) =>
  typeof a === 'object' && typeof b === 'object' && f(a) && f(b) ? (f(a)! / f(b)!).toFixed(2) + 'x' : '-';
if (o.json) {
  const out: Record<string, Record<number, Cell | string>> = {};
  for (const [col, m] of table) out[col] = Object.fromEntries(m);
  process.stdout.write(JSON.stringify({ steps, repeat, results: out }, null, 2) + '\n');
} else {
  for (const [title, f] of [
    ['training img/s (batch 128)', (c: Cell) => c.train],
    ['inference img/s (batch 512)', (c: Cell) => c.infer],
    ['peak RSS MiB', (c: Cell) => c.rssMiB],
    ['backend memory MiB (tf.memory(); GPU buffers on webgpu)', (c: Cell) => c.deviceMiB ?? null],
  ] as const) {
    console.log(`\n${title}\n${['k', ...cols].map((c) => c.padStart(11)).join('')}`);
    for (const k of ks) console.log([String(k), ...cols.map((c) => fmt(table.get(c)!.get(k), f))].map((v) => v.padStart(11)).join(''));
  }
  for (const label of ['onednn', ...checkouts.map((c) => c.label)]) {
    const pairs = threads.filter((t) => table.has(`torch ${t}t`) && table.has(`${label} ${t}t`));
    if (!pairs.length) continue;
    console.log(`\n${label} / torch at the same thread count (training, inference)`);
    for (const k of ks) {
      const cell = (t: number) => [table.get(`${label} ${t}t`)!.get(k), table.get(`torch ${t}t`)!.get(k)] as const;
      console.log(
        `  k=${String(k).padEnd(3)} ` +
          pairs.map((t) => `${t}t: ${ratio(...cell(t), (c) => c.train)}, ${ratio(...cell(t), (c) => c.infer)}`).join('   '),
      );
    }
  }
}
