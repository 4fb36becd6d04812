// The prepared GPU check (scripts/gpu-check.sh, npm run gpu-check; issue 10): unlearn info, the webgpu numeric
// tests, the bench at k = 16, 32, 64 on each GPU backend that loads, a bounded paper-profile original training,
// one summary table. Each step runs in its own process under a time limit; the whole stays under 10 minutes.
// Run: npx tsx bench/gpu-check.ts [--k 16,32,64] [--train-seconds 150] [--train-k 64] [--backends webgpu,tensorflow-gpu]
//        [--budget 570] [--json]
import { spawnSync } from 'child_process';
import * as path from 'path';
import { parseArgs } from 'util';

const root = path.resolve(__dirname, '..');
const { values: o } = parseArgs({
  options: {
    k: { type: 'string', default: '16,32,64' },
    'train-seconds': { type: 'string', default: '150' },
    'train-k': { type: 'string', default: '64' },
    backends: { type: 'string', default: 'webgpu,tensorflow-gpu' },
    budget: { type: 'string', default: '570' },
    json: { type: 'boolean', default: false },
  },
});
const ks = o.k!.split(',').map(Number),
  trainSeconds = Number(o['train-seconds']),
  trainK = Number(o['train-k']);

interface Step {
  name: string;
  ok: boolean;
  seconds: number;
  note: string;
}
const steps: Step[] = [];
const t0 = Date.now();
/** Whole-check budget in seconds: every step's limit is cut to what is left, so the summary always prints. */
const budget = Number(o.budget);

/** Runs node with args under a time limit; returns stdout, or records the failure. */
function node(name: string, args: string[], env: Record<string, string>, limitS: number, optional = false): string | undefined {
  const s = Date.now();
  limitS = Math.min(limitS, Math.floor(budget - (s - t0) / 1000));
  if (limitS < 10) {
    steps.push({ name, ok: false, seconds: 0, note: `not run: the ${budget} s budget is spent` });
    return undefined;
  }
  console.error(`== ${name}`);
  const r = spawnSync(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: limitS * 1000,
    maxBuffer: 1 << 26,
  });
  const seconds = (Date.now() - s) / 1000;
  const tail = `${r.stdout ?? ''}\n${r.stderr ?? ''}`
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('Warning: max'))
    .slice(-3)
    .join(' | ');
  if (r.status !== 0) {
    const note = r.error ? `${r.error.message} (limit ${limitS} s)` : `exit ${r.status}: ${tail.slice(0, 300)}`;
    steps.push({ name, ok: optional, seconds, note: optional ? `not available: ${note}` : note });
    return undefined;
  }
  steps.push({ name, ok: true, seconds, note: '' });
  return r.stdout;
}
const json = (out: string | undefined) => (out ? JSON.parse(out.slice(out.indexOf('{'))) : undefined);
const cli = path.join(root, 'bin/unlearn.js');

// 1. What loads here (auto selection), and each GPU backend forced.
const auto = json(node('unlearn info (auto)', [cli, 'info', '--json'], {}, 60));
const gpus: { backend: string; label: string }[] = [];
for (const b of o
  .backends!.split(',')
  .map((s) => s.trim())
  .filter(Boolean)) {
  const i = json(node(`unlearn info (${b})`, [cli, 'info', '--json'], { UNLEARN_BACKEND: b }, 60, true));
  if (i)
    gpus.push({
      backend: b,
      label: i.backend.adapter
        ? `${i.backend.adapter.vendor} / ${i.backend.adapter.architecture} / ${i.backend.adapter.device}${i.backend.adapter.isFallback ? ' (software)' : ''}`
        : i.backend.tfBackend,
    });
}
// 2. webgpu numeric tests against the cpu kernels.
const tests = node(
  'webgpu numeric tests',
  ['--import', 'tsx', '--test', 'test/backend-webgpu.test.ts'],
  { UNLEARN_REQUIRE_WEBGPU: '1' },
  180,
);
const errLine =
  tests
    ?.split('\n')
    .find((l) => l.includes('relative errors against cpu'))
    ?.replace(/^#\s*\\?#?\s*/, '') ?? '';
// 3. Bench per GPU backend and width.
const bench: Record<string, Record<number, { train: number; infer: number; deviceMiB: number }>> = {};
for (const g of gpus) {
  bench[g.backend] = {};
  for (const k of ks) {
    const r = json(
      node(`bench ${g.backend} k=${k}`, [cli, 'bench', '--json', '--k', String(k), '--steps', '5'], { UNLEARN_BACKEND: g.backend }, 120),
    );
    if (r)
      bench[g.backend][k] = { train: r.results[0].trainImgPerSec, infer: r.results[0].inferImgPerSec, deviceMiB: r.results[0].deviceMiB };
  }
}
// 4. A bounded paper-profile original training on the first GPU backend that loaded.
let paper: { imgPerSec: number; epochs: number; steps: number; loss: number; trainExamples: number; hours: number } | undefined;
if (gpus.length) {
  // Train for what the budget leaves after data loading and the summary (≥ 10 s).
  const trainS = Math.max(10, Math.min(trainSeconds, Math.floor(budget - (Date.now() - t0) / 1000 - 60)));
  const script = `require('./lib/backend/select').ensureBackend().then(async () => {
    const m = require('./lib/bench/paper-rate');
    const r = await m.measurePaperRate({ k: ${trainK}, maxSeconds: ${trainS}, onProgress: (s, v, l) => console.error('step', s, v.toFixed(1), 'img/s, loss', l.toFixed(3)) });
    const rates = ${JSON.stringify(Object.fromEntries(Object.entries(bench[gpus[0].backend]).map(([k, v]) => [k, v.train])))};
    if (r.imgPerSec > 0) rates[${trainK}] = r.imgPerSec;
    console.log(JSON.stringify({ ...r, hours: m.paperHoursLowerBound(rates, r.trainExamples) }));
  })`;
  paper = json(
    node(
      `paper original k=${trainK} (≤ ${trainS} s)`,
      ['--import', 'tsx', '-e', script],
      { UNLEARN_BACKEND: gpus[0].backend },
      trainS + 120,
    ),
  );
}

const total = (Date.now() - t0) / 1000;
if (o.json) {
  process.stdout.write(JSON.stringify({ auto: auto?.backend, gpus, errors: errLine, bench, paper, steps, seconds: total }, null, 2) + '\n');
} else {
  const lines = [
    '',
    '== GPU check summary',
    `auto-selected backend   ${auto ? `${auto.backend.choice}${auto.backend.adapter ? ` on ${auto.backend.adapter.vendor} / ${auto.backend.adapter.device}` : ''}` : 'failed'}`,
    ...gpus.map((g) => `GPU backend             ${g.backend}: ${g.label}`),
    `numeric tests           ${tests ? 'pass' : 'FAIL'}${errLine ? ` (${errLine})` : ''}`,
    ...gpus.flatMap((g) =>
      ks.map((k) => {
        const c = bench[g.backend][k];
        return `bench ${g.backend.padEnd(15)} k=${String(k).padEnd(3)} ${c ? `train ${c.train.toFixed(0)} img/s · inference ${c.infer.toFixed(0)} img/s · device ${c.deviceMiB.toFixed(0)} MiB` : 'failed'}`;
      }),
    ),
    paper
      ? `paper original k=${trainK}    ${paper.imgPerSec?.toFixed(0) ?? 'n/a'} img/s over ${paper.steps} steps (${paper.epochs.toFixed(2)} epochs of ${paper.trainExamples}), loss ${paper.loss.toFixed(3)}`
      : `paper original          ${gpus.length ? 'failed' : 'skipped: no GPU backend loaded'}`,
    paper?.hours
      ? `paper profile (est.)    ≥ ${paper.hours.toFixed(0)} h of training on this adapter (originals + retrained oracles, 2 goals × 7 widths × 3 seeds × 200 epochs; unlearning runs on top)`
      : '',
    ...steps.map(
      (s) => `step ${s.ok ? 'ok  ' : 'FAIL'}  ${s.name.padEnd(34)} ${s.seconds.toFixed(0).padStart(4)} s${s.note ? `  ${s.note}` : ''}`,
    ),
    `total                   ${total.toFixed(0)} s`,
  ];
  console.log(lines.filter(Boolean).join('\n'));
}
process.exit(steps.every((s) => s.ok) ? 0 : 1);
