// The optimiser (lib/train/optimizer.ts), the learning-rate schedules (lib/train/schedule.ts) and the training
// loop's use of them against PyTorch's documented rules, with the expected numbers written out below:
//   torch.optim.SGD (dampening 0, nesterov false): g ← g + λθ;  b_1 = g, b_t = μ b_{t−1} + g;  θ ← θ − lr·b_t
//     (nesterov: θ ← θ − lr·(g + μ b_t)); the buffer holds no lr, so a changed lr applies to the whole buffer.
//   torch.optim.Adam (L2 weight decay, not AdamW): g ← g + λθ;  m_t = β1 m + (1−β1) g;  v_t = β2 v + (1−β2) g²;
//     θ ← θ − lr · (m_t / (1−β1^t)) / (√(v_t / (1−β2^t)) + ε).
//   CosineAnnealingLR (η_min = 0): η_t = η_0 (1 + cos(π t / T)) / 2;  MultiStepLR: η_t = η_0 γ^{#milestones ≤ t};
//   LinearLR(1 → 0): η_t = η_0 (1 − t / T); the scheduler steps once per optimiser step (t = steps done).
// Each case is computed twice here: by `pytorchRules` (float64, the rules above) and as literal numbers printed
// once by torch 1.13 in float64 (SGD/Adam on the same tensors and gradients; lr_scheduler sequences). The test
// checks the two agree (≤ 1e-12), then that the float32 tfjs optimiser matches them within 1e-6 on the generic
// path (cpu backend) and on the onednn backend's fused native OPTIMIZER_STEP kernel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { createOptimizer, type OptimizerConfig } from '../lib/train/optimizer';
import { lrAt, type ScheduleConfig } from '../lib/train/schedule';
import { train } from '../lib/train/loop';
import type { Model } from '../lib/models/types';
import type { BatchSource } from '../lib/train/source';
import { hasFusedOptimizer, loadAddon, registerOneDnnBackend, ONEDNN } from '../lib/backend/native/index';

const TOL = 1e-6;

// Two parameters (a 2×2 matrix and a 3-vector, flattened row-major) and a hand-written gradient for each of 3 steps.
const w0 = [0.5, -1.25, 2, 0.1],
  b0 = [0.3, -0.7, 1.5];
const gw = [
  [0.2, -0.4, 1, 0.05],
  [-0.3, 0.6, 0.5, -0.2],
  [0.1, 0.1, -0.8, 0.4],
];
const gb = [
  [0.9, -0.1, 0.25],
  [0.4, 0.3, -0.6],
  [-0.2, 0.7, 0.05],
];

interface Case {
  name: string;
  config: OptimizerConfig;
  lrs: number[];
  torch: { w: number[]; b: number[] }[];
}

/** Expected parameters after steps 1, 2, 3, from torch.optim (float64), lr set in the param group before each step. */
const cases: Case[] = [
  {
    name: 'SGD momentum 0.9, weight decay 5e-4, lr 0.1 → 0.05 → 0.025',
    config: { kind: 'sgd', momentum: 0.9, weightDecay: 5e-4 },
    lrs: [0.1, 0.05, 0.025],
    torch: [
      { w: [0.479975, -1.2099375, 1.8999, 0.094995], b: [0.209985, -0.689965, 1.474925] },
      { w: [0.485951750625, -1.2218791265625, 1.8298075025, 0.102740375125], b: [0.149473000375, -0.700432000875, 1.493604376875] },
      {
        w: [0.4861352140093672, -1.2297375850265428, 1.8182430060312187, 0.09622450967656095],
        b: [0.1272407321312453, -0.722633395868739, 1.500741426414039],
      },
    ],
  },
  {
    name: 'SGD Nesterov momentum 0.9, weight decay 1e-3, lr 0.1 → 0.1 → 0.05',
    config: { kind: 'sgd', momentum: 0.9, weightDecay: 1e-3, nesterov: true },
    lrs: [0.1, 0.1, 0.05],
    torch: [
      { w: [0.461905, -1.1737625, 1.80962, 0.090481], b: [0.128943, -0.680867, 1.452215] },
      { w: [0.50257673805, -1.255038235125, 1.6331141722, 0.12440570861], b: [-0.02000579917, -0.72958093527, 1.54556757915] },
      {
        w: [0.4978520611073853, -1.2740459066114131, 1.652112836743641, 0.09266408058718206],
        b: [-0.05002505581057888, -0.8044635349676493, 1.5557447605224808],
      },
    ],
  },
  {
    name: 'SGD without momentum or weight decay, lr 0.01',
    config: { kind: 'sgd', momentum: 0, weightDecay: 0 },
    lrs: [0.01, 0.01, 0.01],
    torch: [
      { w: [0.498, -1.246, 1.99, 0.0995], b: [0.291, -0.699, 1.4975] },
      { w: [0.501, -1.252, 1.985, 0.1015], b: [0.287, -0.702, 1.5035] },
      { w: [0.5, -1.253, 1.993, 0.0975], b: [0.289, -0.709, 1.503] },
    ],
  },
  {
    name: 'Adam (0.9, 0.999, ε 1e-8), weight decay 1e-2, lr 1e-3',
    config: { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 1e-2 },
    lrs: [1e-3, 1e-3, 1e-3],
    torch: [
      {
        w: [0.4990000000487805, -1.2490000000242425, 1.9990000000098038, 0.0990000001960784],
        b: [0.2990000000110742, -0.6990000000934579, 1.499000000037736],
      },
      {
        w: [0.4992289476765189, -1.2492242128274647, 1.998064993605211, 0.09955460382912998],
        b: [0.29808477144286905, -0.6994692883987633, 1.4994015260813438],
      },
      {
        w: [0.49921949758805056, -1.249473605065748, 1.997827754659388, 0.09918139613481787],
        b: [0.2975158944439633, -0.7002006931303993, 1.4996459709206291],
      },
    ],
  },
  {
    name: 'Adam (0.5, 0.9, ε 1e-3) without weight decay, lr 0.01 → 0.02 → 0.01',
    config: { kind: 'adam', beta1: 0.5, beta2: 0.9, eps: 1e-3, weightDecay: 0 },
    lrs: [0.01, 0.02, 0.01],
    torch: [
      {
        w: [0.4900497512437811, -1.2400249376558603, 1.99000999000999, 0.09019607843137256],
        b: [0.2900110987791343, -0.69009900990099, 1.4900398406374502],
      },
      {
        w: [0.5003649373279946, -1.2503601129756932, 1.9728937350653433, 0.10573917598535335],
        b: [0.27346677050595275, -0.7046381767753721, 1.5035420597049336],
      },
      {
        w: [0.5003649373279946, -1.2544948451726738, 1.975071486892488, 0.09915755350852287],
        b: [0.2711616995096191, -0.7148143686596223, 1.506406518427329],
      },
    ],
  },
];

/** PyTorch's update rules (header comment) in float64 for one parameter; returns the parameter after each step. */
function pytorchRules(c: OptimizerConfig, lrs: number[], p0: number[], grads: number[][]): number[][] {
  const p = [...p0],
    a = p0.map(() => 0),
    v = p0.map(() => 0),
    out: number[][] = [];
  grads.forEach((g0, s) => {
    const t = s + 1,
      lr = lrs[s];
    const g = g0.map((gi, i) => gi + c.weightDecay * p[i]);
    for (let i = 0; i < p.length; i++) {
      if (c.kind === 'sgd') {
        if (c.momentum) a[i] = t === 1 ? g[i] : c.momentum * a[i] + g[i];
        const d = !c.momentum ? g[i] : c.nesterov ? g[i] + c.momentum * a[i] : a[i];
        p[i] -= lr * d;
      } else {
        a[i] = c.beta1 * a[i] + (1 - c.beta1) * g[i];
        v[i] = c.beta2 * v[i] + (1 - c.beta2) * g[i] * g[i];
        p[i] -= (lr * (a[i] / (1 - c.beta1 ** t))) / (Math.sqrt(v[i] / (1 - c.beta2 ** t)) + c.eps);
      }
    }
    out.push([...p]);
  });
  return out;
}

function assertClose(got: ArrayLike<number>, want: readonly number[], tol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    assert.ok(
      Math.abs(got[i] - want[i]) <= tol,
      `${what}[${i}]: ${got[i]} vs ${want[i]} (|Δ| ${Math.abs(got[i] - want[i]).toExponential(2)} > ${tol})`,
    );
  }
}

test("the hand computation of PyTorch's SGD and Adam rules reproduces torch.optim's numbers (≤ 1e-12)", () => {
  for (const c of cases) {
    const w = pytorchRules(c.config, c.lrs, w0, gw),
      b = pytorchRules(c.config, c.lrs, b0, gb);
    c.torch.forEach((s, t) => {
      assertClose(w[t], s.w, 1e-12, `${c.name} step ${t + 1} w`);
      assertClose(b[t], s.b, 1e-12, `${c.name} step ${t + 1} b`);
    });
  }
});

/** Runs 3 steps of `createOptimizer` on `backend`, reading both parameters after each step. */
async function optimizerSteps(backend: string, c: Case): Promise<{ w: Float32Array; b: Float32Array }[]> {
  assert.ok(await tf.setBackend(backend));
  const params = { w: tf.variable(tf.tensor2d(w0, [2, 2])), b: tf.variable(tf.tensor1d(b0)) };
  const opt = createOptimizer(params, c.config);
  const out: { w: Float32Array; b: Float32Array }[] = [];
  for (let s = 0; s < c.lrs.length; s++) {
    const g = { w: tf.tensor2d(gw[s], [2, 2]), b: tf.tensor1d(gb[s]) };
    opt.step(g, c.lrs[s]);
    tf.dispose(Object.values(g));
    out.push({ w: Float32Array.from(await params.w.data()), b: Float32Array.from(await params.b.data()) });
  }
  assert.equal(opt.steps, c.lrs.length);
  opt.dispose();
  tf.dispose(Object.values(params));
  return out;
}

const native = loadAddon();
const backends: { name: string; skip: string | false; fused: boolean }[] = [
  { name: 'cpu', skip: false, fused: false },
  { name: ONEDNN, skip: native ? false : 'oneDNN addon not built', fused: true },
];

for (const be of backends) {
  for (const c of cases) {
    test(
      `${be.name}${be.fused ? ' (fused native kernel)' : ' (generic path)'}: ${c.name} matches torch.optim after each of 3 steps (≤ 1e-6)`,
      { skip: be.skip },
      async () => {
        if (be.name === ONEDNN) registerOneDnnBackend();
        const got = await optimizerSteps(be.name, c);
        assert.equal(hasFusedOptimizer(), be.fused, `${be.name}: fused OPTIMIZER_STEP kernel ${be.fused ? 'expected' : 'not expected'}`);
        got.forEach((s, t) => {
          assertClose(s.w, c.torch[t].w, TOL, `step ${t + 1} w`);
          assertClose(s.b, c.torch[t].b, TOL, `step ${t + 1} b`);
        });
      },
    );
  }
}

// ---- schedules: lrAt(schedule, η_0 = 0.1, t, T = 8) against torch.optim.lr_scheduler, one value per step ----------
const T = 8;
const schedules: { name: string; schedule: ScheduleConfig; torch: number[]; rule: (t: number) => number }[] = [
  {
    name: 'cosine = CosineAnnealingLR(T_max=8, eta_min=0)',
    schedule: { kind: 'cosine' },
    rule: (t) => (0.1 * (1 + Math.cos((Math.PI * t) / T))) / 2,
    torch: [
      0.1, 0.09619397662556434, 0.08535533905932738, 0.0691341716182545, 0.05, 0.030865828381745515, 0.014644660940672627,
      0.0038060233744356634,
    ],
  },
  {
    name: 'step [0.5, 0.75] × 0.1 = MultiStepLR(milestones=[4, 6], gamma=0.1)',
    schedule: { kind: 'step', milestones: [0.5, 0.75], gamma: 0.1 },
    rule: (t) => 0.1 * 0.1 ** [4, 6].filter((m) => t >= m).length,
    torch: [0.1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.001, 0.001],
  },
  {
    name: 'linear = LinearLR(start_factor=1, end_factor=0, total_iters=8)',
    schedule: { kind: 'linear' },
    rule: (t) => 0.1 * (1 - t / T),
    torch: [0.1, 0.0875, 0.075, 0.0625, 0.05, 0.0375, 0.025, 0.0125],
  },
  { name: 'constant', schedule: { kind: 'constant' }, rule: () => 0.1, torch: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1] },
];

for (const s of schedules) {
  test(`lrAt ${s.name}: the learning rate of every step of 8 matches torch and the closed form (≤ 1e-12)`, () => {
    const got = Array.from({ length: T }, (_, t) => lrAt(s.schedule, 0.1, t, T));
    assertClose(got, s.torch, 1e-12, `${s.schedule.kind} vs torch`);
    assertClose(
      got,
      Array.from({ length: T }, (_, t) => s.rule(t)),
      1e-15,
      `${s.schedule.kind} vs closed form`,
    );
  });
}

// ---- the loop: train() steps the schedule once per optimiser step, as a per-iteration PyTorch scheduler ----------
// Loss ½‖θ − a‖² (gradient θ − a), SGD momentum 0.9, weight decay 5e-4, lr 0.05, cosine over 2 epochs × 3 batches:
//   θ = torch.tensor(θ0); opt = SGD([θ], lr=0.05, momentum=0.9, weight_decay=5e-4); sched = CosineAnnealingLR(opt, T_max=6)
//   6 × { opt.zero_grad(); (0.5 * ((θ − a) ** 2).sum()).backward(); opt.step(); sched.step() }
const theta0 = [0.5, -1.25, 2, 0.1],
  target = [1, 0, -1, 0.5];
const torchLoop = [0.681244191687318, -0.7964361836339133, 0.9116281755805086, 0.24504975380758934];

/** 6 dummy examples (the loss ignores them): 3 batches of 2 per epoch. */
const dummy: BatchSource = {
  size: 6,
  shape: [1, 1, 1],
  *epoch(_r, bs) {
    for (let i = 0; i < 6; i += bs) yield { x: new Float32Array(bs), y: new Int32Array(bs), n: bs };
  },
};

test('the hand computation of the loop case (PyTorch rules, gradient θ − a, η_t from the cosine rule) reproduces torch (≤ 1e-12)', () => {
  const p = [...theta0],
    buf = p.map(() => 0);
  for (let t = 0; t < 6; t++) {
    const lr = (0.05 * (1 + Math.cos((Math.PI * t) / 6))) / 2;
    for (let i = 0; i < p.length; i++) {
      const g = p[i] - target[i] + 5e-4 * p[i];
      buf[i] = t === 0 ? g : 0.9 * buf[i] + g;
      p[i] -= lr * buf[i];
    }
  }
  assertClose(p, torchLoop, 1e-12, 'θ after 6 steps');
});

for (const be of backends) {
  test(
    `${be.name}: train() with SGD + cosine over 6 steps ends where torch's SGD + per-step CosineAnnealingLR ends (≤ 1e-6)`,
    { skip: be.skip },
    async () => {
      if (be.name === ONEDNN) registerOneDnnBackend();
      assert.ok(await tf.setBackend(be.name));
      const a = tf.tensor1d(target);
      const model = { spec: {}, params: { theta: tf.variable(tf.tensor1d(theta0)) }, buffers: {} } as unknown as Model;
      const history = await train(model, {
        epochs: 2,
        batchSize: 2,
        lr: 0.05,
        schedule: { kind: 'cosine' },
        optimizer: { kind: 'sgd', momentum: 0.9, weightDecay: 5e-4 },
        seed: 0,
        phases: [
          {
            name: 'train',
            source: dummy,
            loss: ({ model: m }) => ({ loss: tf.mul(0.5, tf.sum(tf.square(tf.sub(m.params.theta, a)))) as tf.Scalar }),
          },
        ],
      });
      assert.deepEqual(
        history.epochs.map((e) => e.steps),
        [3, 3],
      );
      assertClose((await model.params.theta.data()) as Float32Array, torchLoop, TOL, 'θ after 6 steps');
      tf.dispose([a, model.params.theta]);
    },
  );
}
