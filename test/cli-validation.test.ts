// Validation before any work (issue 12, item 2): bad CLI input and settings exit 2 with a message naming the
// field, the value and what is allowed, and nothing is trained (the store stays empty); method schemas and
// training recipes are checked in the library too; a diverged run ends with one line and exit 1.
import { methodGrid } from '../lib/experiment/sweep';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { methods, methodNames, methodOf } from '../lib/unlearn/registry';
import { expandGrid } from '../lib/unlearn/grid';
import { checkHyper, resolveHyper } from '../lib/unlearn/hyper-schema';
import { profiles } from '../lib/experiment/profiles';
import { validateRecipe } from '../lib/train/validate-recipe';
import { joinNegativeValues } from '../lib/cli/command';
import { describeRange } from '../lib/util/range';
import type { TrainRecipe } from '../lib/train/loop';

const bin = path.join(__dirname, '..', 'bin', 'unlearn.js');

/** Runs the CLI at the smoke profile on the cpu backend with a fresh, empty store; `stored` lists what it wrote there. */
async function run(args: string[], env: Record<string, string> = {}) {
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'unlearn-validation-'));
  const child = spawn(process.execPath, [bin, ...args], {
    timeout: 120_000,
    env: { ...process.env, UNLEARN_BACKEND: 'cpu', UNLEARN_PROFILE: 'smoke', UNLEARN_STORE: store, ...env },
  });
  let stdout = '',
    stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const stored = fs.readdirSync(store);
  fs.rmSync(store, { recursive: true, force: true });
  return { status, stdout, stderr, stored };
}

/** A refusal case: arguments, the expected message, extra environment. */
type Case = [string[], RegExp, Record<string, string>?];

/** Asserts for every case (a few processes at a time): exit 2, the message, no stack trace, an untouched store. */
async function refused(cases: Case[]) {
  const queue = [...cases];
  const worker = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      const [args, msg, env = {}] = c;
      const r = await run(args, env);
      const what = `${Object.entries(env)
        .map(([k, v]) => `${k}=${v} `)
        .join('')}unlearn ${args.join(' ')}`;
      assert.equal(r.status, 2, `${what}: exit ${r.status}\n${r.stderr}`);
      assert.match(r.stderr, msg, what);
      assert.doesNotMatch(r.stderr, /\n\s+at /, `${what}: stack trace`);
      assert.deepEqual(r.stored, [], `${what}: wrote to the store before refusing`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

test('train: learning rate > 0, epochs an integer >= 1, in both --opt=-1 and --opt -1 forms', async () => {
  await refused([
    [['train', '--lr=-1', '--epochs', '1'], /--lr must be a positive number, got -1/],
    [['train', '--lr', '-1'], /--lr must be a positive number, got -1/],
    [['train', '--lr=0'], /--lr must be a positive number, got 0/],
    [['train', '--lr', '-.5'], /--lr must be a positive number, got -0.5/],
    [['train', '--epochs=-1'], /--epochs must be a positive integer, got -1/],
    [['train', '--epochs', '-1'], /--epochs must be a positive integer, got -1/],
    [['train', '--epochs', '0'], /--epochs must be a positive integer, got 0/],
    [['train', '--epochs', '1.5'], /--epochs needs a positive integer, got '1\.5'/],
    [['train', '--arch', 'resnet'], /unknown architecture 'resnet'; expected one of: resnet18k, allcnn, cnn4/],
  ]);
});

test('lists: --k positive integers, --seed non-negative integers, never empty, checked before any training', async () => {
  await refused([
    [['train', '--k', ''], /--k must be a non-empty comma-separated list of positive integers \(e\.g\. --k 4,8,16\); got ''/],
    [['train', '--seed', ''], /--seed must be a non-empty comma-separated list of non-negative integers/],
    [['train', '--k', '2,0'], /--k: '0' is not a positive integer \(in '2,0'\)/],
    [['train', '--k', '2,,8'], /--k: '' is not a positive integer/],
    [['train', '--k', '2,2'], /--k lists 2 twice in '2,2'/],
    [['train', '--k', '-1'], /--k: '-1' is not a positive integer; expected a non-empty comma-separated list of positive integers/],
    [['train', '--k=-1'], /--k: '-1' is not a positive integer/],
    [['train', '--seed', '-1'], /--seed: '-1' is not a non-negative integer/],
    [['sweep', '--k', ''], /--k must be a non-empty comma-separated list of positive integers/],
    [['sweep', '--seed', ''], /--seed must be a non-empty comma-separated list of non-negative integers/],
    [['sweep', '--methods', ''], /--methods must be a non-empty comma-separated list of: retrain, finetune, gradAscent/],
    [['sweep', '--methods', 'scrub,forgetIt'], /unknown unlearning method 'forgetIt'; expected one of: retrain, finetune/],
    [['sweep', '--k', '-1'], /--k: '-1' is not a positive integer/],
    [['sweep', '--workers', '0'], /--workers must be a positive integer, got 0/],
    [['sweep', '--workers', '-2'], /--workers must be a positive integer, got -2/],
    [['params', '--k', '0'], /--k: '0' is not a positive integer/],
    [['bench', '--k', '4', '--batch', '0'], /--batch must be a positive integer, got 0/],
  ]);
});

test('unlearn: the method, --k, --seed and every --hp key and value are checked against the schema first', async () => {
  await refused([
    [['unlearn', '--method', 'scrub', '--hp', 'lr=-1'], /scrub hyperparameter 'lr' must be a positive number, got -1/],
    [['unlearn', '--method', 'scrub', '--hp', 'lr=0'], /scrub hyperparameter 'lr' must be a positive number, got 0/],
    [['unlearn', '--method', 'scrub', '--hp', 'epochs=0'], /scrub hyperparameter 'epochs' must be a positive integer, got 0/],
    [['unlearn', '--method', 'scrub', '--hp', 'epochs=1.5'], /scrub hyperparameter 'epochs' must be a positive integer, got 1\.5/],
    [['unlearn', '--method', 'scrub', '--hp', 'msteps=-1'], /scrub hyperparameter 'msteps' must be a non-negative integer, got -1/],
    [['unlearn', '--method', 'scrub', '--hp', 'T=0'], /scrub hyperparameter 'T' must be a positive number, got 0/],
    [
      ['unlearn', '--method', 'negGradPlus', '--hp', 'beta=1.5'],
      /negGradPlus hyperparameter 'beta' must be a number in \[0, 1\], got 1\.5/,
    ],
    [['unlearn', '--method', 'l1Sparse', '--hp', 'alpha=-0.1'], /l1Sparse hyperparameter 'alpha' must be a non-negative number, got -0\.1/],
    [
      ['unlearn', '--method', 'retrain', '--hp', 'lr=0.1'],
      /retrain has no hyperparameters \(it uses the original's training recipe\); got 'lr'/,
    ],
    [['unlearn', '--method', 'scrub', '--hp', ''], /--hp needs key=number pairs separated by commas/],
    [['unlearn', '--method', 'scrub', '--hp', 'lr=1,lr=2'], /--hp sets 'lr' twice/],
    [['unlearn', '--method', 'scrub', '--hp', 'lr=1=2'], /--hp expects key=number pairs separated by commas .*, got 'lr=1=2'/],
    [['unlearn', '--method', 'scrub', '--k', '-1'], /--k must be a positive integer, got -1/],
    [['unlearn', '--method', 'scrub', '--k', ''], /--k needs a positive integer, got ''/],
    [['unlearn', '--method', 'scrub', '--seed', '-1'], /--seed must be a non-negative integer, got -1/],
  ]);
});

test('environment: known profile and backend names for every command, including info', async () => {
  const commands = ['info', 'params', 'data', 'train', 'unlearn', 'sweep', 'eval', 'mia', 'findings', 'bench'];
  const profileNames = Object.keys(profiles).join(', '); // smoke, cpu, cpu-fmnist, paper
  await refused([
    [['info'], new RegExp(`^unlearn info: unknown profile 'foo'; expected one of: ${profileNames}\n$`), { UNLEARN_PROFILE: 'foo' }],
    [['info', '--json'], new RegExp(`unknown profile 'foo'; expected one of: ${profileNames}`), { UNLEARN_PROFILE: 'foo' }],
    [['mia'], new RegExp(`unknown profile 'foo'; expected one of: ${profileNames}`), { UNLEARN_PROFILE: 'foo' }],
    [['info'], /UNLEARN_WORKERS must be a positive integer, got 0/, { UNLEARN_WORKERS: '0' }],
    [['info'], /UNLEARN_THREADS must be a positive integer, got 'two'/, { UNLEARN_THREADS: 'two' }],
    ...commands.map((cmd): Case => [
      [cmd],
      /UNLEARN_BACKEND='gpu' is not a backend; expected one of: auto, tensorflow-gpu, webgpu, tensorflow, onednn, wasm, cpu/,
      { UNLEARN_BACKEND: 'gpu' },
    ]),
  ]);
});

test('--help lists every backend (onednn included) and the thread and worker settings', async () => {
  const r = await run(['--help']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /UNLEARN_BACKEND \(auto\|tensorflow-gpu\|webgpu\|tensorflow\|onednn\|wasm\|cpu\)/);
  assert.match(r.stdout, /UNLEARN_THREADS/);
  assert.match(r.stdout, /UNLEARN_WORKERS/);
});

test('a diverging run ends with one line naming the run, epoch, phase and step, and exit 1 (no stack trace)', async () => {
  const r = await run(['train', '--k', '2', '--lr', '1e30', '--json']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^unlearn train: original cnn4 k=2 seed=0: loss is (NaN|-?Infinity) at epoch 1, phase 'train', step \d+\n$/);
});

test('every method has a schema of exactly its hyperparameters; defaults and every grid point of every profile pass', () => {
  for (const name of methodNames) {
    const m = methodOf(name);
    assert.deepEqual(Object.keys(m.schema), Object.keys(m.defaults), `${name}: schema keys`);
    assert.doesNotThrow(() => checkHyper(name, m.schema, m.defaults), `${name} defaults`);
    if (!m.tuned) {
      assert.deepEqual(methodGrid(name, profiles.cpu), [{}], `${name} is untuned: one point`);
      continue;
    }
    for (const profile of Object.keys(profiles) as (keyof typeof profiles)[]) {
      for (const hp of methodGrid(name, profiles[profile])) {
        assert.doesNotThrow(() => checkHyper(name, m.schema, hp), `${name} at ${profile}: ${JSON.stringify(hp)}`);
        if (m.tuned) assert.deepEqual(resolveHyper(name, m, hp), hp);
      }
    }
  }
  assert.throws(
    () => resolveHyper('scrub', methods.scrub, { gamma: -1 }),
    /scrub hyperparameter 'gamma' must be a non-negative number, got -1/,
  );
  assert.throws(() => resolveHyper('scrub', methods.scrub, { lr: NaN }), /scrub hyperparameter 'lr' must be a positive number, got NaN/);
  assert.throws(
    () => resolveHyper('finetune', methods.finetune, { beta: 0.5 }),
    /finetune has no hyperparameter 'beta'; expected: lr, epochs/,
  );
  assert.deepEqual(resolveHyper('retrain', methods.retrain, {}), {});
});

test('validateRecipe accepts every profile recipe and names the field, value and what is allowed', () => {
  for (const p of Object.values(profiles)) assert.doesNotThrow(() => validateRecipe(p.original as TrainRecipe), p.name);
  const ok = profiles.smoke.original as TrainRecipe;
  const bad: [Partial<TrainRecipe>, RegExp][] = [
    [{ lr: -1 }, /recipe\.lr must be a positive number, got -1/],
    [{ lr: Infinity }, /recipe\.lr must be a positive number, got Infinity/],
    [{ epochs: 0 }, /recipe\.epochs must be a positive integer, got 0/],
    [{ epochs: 2.5 }, /recipe\.epochs must be a positive integer, got 2\.5/],
    [{ batchSize: 0 }, /recipe\.batchSize must be a positive integer, got 0/],
    [{ schedule: { kind: 'exp' } as never }, /recipe\.schedule\.kind must be one of: constant, cosine, linear, step; got "exp"/],
    [
      { schedule: { kind: 'step', milestones: [0.5, 2], gamma: 0.1 } },
      /recipe\.schedule\.milestones\[1\] must be a number in \[0, 1\], got 2/,
    ],
    [{ schedule: { kind: 'step', milestones: [0.5], gamma: 0 } }, /recipe\.schedule\.gamma must be a positive number, got 0/],
    [{ optimizer: { kind: 'sgd', momentum: 1, weightDecay: 0 } }, /recipe\.optimizer\.momentum must be a number in \[0, 1\), got 1/],
    [
      { optimizer: { kind: 'sgd', momentum: 0.9, weightDecay: -1 } },
      /recipe\.optimizer\.weightDecay must be a non-negative number, got -1/,
    ],
    [
      { optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 0, weightDecay: 0 } },
      /recipe\.optimizer\.eps must be a positive number, got 0/,
    ],
    [{ optimizer: { kind: 'rmsprop' } as never }, /recipe\.optimizer\.kind must be one of: sgd, adam; got "rmsprop"/],
  ];
  for (const [change, msg] of bad) assert.throws(() => validateRecipe({ ...ok, ...change }), msg, JSON.stringify(change));
  assert.throws(() => validateRecipe({ ...ok, lr: 0 }, { names: { lr: '--lr' } }), /^UsageError: --lr must be a positive number, got 0$/);
});

test('argument helpers: negative values join their option; ranges are described in words', () => {
  const opts = { k: { type: 'string' as const }, json: { type: 'boolean' as const } };
  assert.deepEqual(joinNegativeValues(['--k', '-1', '--json'], opts), ['--k=-1', '--json']);
  assert.deepEqual(joinNegativeValues(['--k', '-.5'], opts), ['--k=-.5']);
  assert.deepEqual(joinNegativeValues(['--json', '-1', '--k=-2', '--', '--k', '-3'], opts), ['--json', '-1', '--k=-2', '--', '--k', '-3']);
  assert.deepEqual(joinNegativeValues(['--k', '-h'], opts), ['--k', '-h']);
  assert.equal(describeRange({ min: 1, integer: true }), 'a positive integer');
  assert.equal(describeRange({ min: 0, minExclusive: true }), 'a positive number');
  assert.equal(describeRange({ min: 0, integer: true }, true), 'non-negative integers');
  assert.equal(describeRange({ min: 0, max: 1, maxExclusive: true }), 'a number in [0, 1)');
  assert.equal(describeRange({ min: 2, integer: true }), 'an integer >= 2');
});
