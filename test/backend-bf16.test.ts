// bf16 convolutions of the onednn backend (UNLEARN_PRECISION=bf16; oneDNN Developer Guide, "Bfloat16 training"):
// against the cpu backend's f32 kernels, the store identity they get, thread determinism, bad settings.
import { before, after, test } from 'node:test';
import { spawnSync } from 'child_process';
import * as path from 'path';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { loadAddon, addonLoadError, registerOneDnnBackend, requestedPrecision, ONEDNN } from '../lib/backend/native/index';
import { unregisterProjectKernel } from '../lib/backend/kernels/index';
import { onBackend, relErr, uniformValues } from './helpers/numeric';

const root = path.join(__dirname, '..');
const required = process.env.UNLEARN_REQUIRE_NATIVE === '1';
/** Why bf16 cannot be tested here: no addon, or a CPU whose oneDNN has no bf16 convolution (then a skip, not a failure). */
function whyNot(): string | false {
  const a = loadAddon();
  if (!a) return required ? false : String(addonLoadError());
  try {
    a.setOption('convPrecision', 1);
    a.setOption('convPrecision', 0);
    return false;
  } catch (e) {
    return `no bf16 convolution on this CPU: ${(e as Error).message}`;
  }
}
const skip = whyNot();
if (skip) console.log(`# skipping bf16 tests: ${skip}`);

before(async () => {
  if (skip) return;
  registerOneDnnBackend();
  await tf.setBackend('cpu');
  unregisterProjectKernel(tf.Conv2DBackpropFilter, 'cpu'); // the reference is the cpu backend's own kernels
});
after(() => {
  if (!skip) loadAddon()!.setOption('convPrecision', 0);
});

/** conv2d output, input gradient and filter gradient for x [n,h,w,c] and w [3|1,3|1,c,o]. */
function convAndGrads(xs: number[], ws: number[], stride: number, pad: 'same' | 'valid' | number): () => tf.Tensor[] {
  return () => {
    const x = tf.tensor4d(uniformValues(xs, 'bf16/x', 11), xs as [number, number, number, number]);
    const w = tf.tensor4d(uniformValues(ws, 'bf16/w', 11), ws as [number, number, number, number]);
    const y = tf.conv2d(x, w, stride, pad);
    const u = tf.tensor(uniformValues(y.shape, 'bf16/u', 11), y.shape);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), u)),
    )([x, w]);
    return [y, dx, dw];
  };
}

const cases = [
  { name: '3x3 stride 1 pad 1, 16 channels', x: [8, 8, 8, 16], w: [3, 3, 16, 16], stride: 1, pad: 1 as const },
  { name: '3x3 stride 2 pad 1, 8 → 16 channels', x: [4, 16, 16, 8], w: [3, 3, 8, 16], stride: 2, pad: 1 as const },
  { name: '1x1 stride 2 shortcut, 16 → 32 channels', x: [4, 8, 8, 16], w: [1, 1, 16, 32], stride: 2, pad: 'valid' as const },
];

for (const c of cases) {
  test(`bf16 conv2d forward and both gradients are bf16-close to f32 (and not f32): ${c.name}`, { skip }, async () => {
    const f = convAndGrads(c.x, c.w, c.stride, c.pad);
    const ref = await onBackend('cpu', f);
    const addon = loadAddon()!;
    const f32 = await onBackend(ONEDNN, f);
    addon.setOption('convPrecision', 1);
    assert.equal(addon.info().convPrecision, 'bf16');
    let bf: Float32Array[];
    try {
      bf = await onBackend(ONEDNN, f);
    } finally {
      addon.setOption('convPrecision', 0);
    }
    ref.forEach((r, i) => {
      const e32 = relErr(f32[i], r),
        e16 = relErr(bf[i], r);
      assert.ok(e32 <= 1e-4, `output ${i}: f32 relative error ${e32}`);
      // bfloat16 keeps 8 significant bits (relative rounding 2^-9 ≈ 0.002 per input): sums of such products
      // land well inside 2e-2 of the f32 result, and far outside f32's own rounding.
      assert.ok(e16 <= 2e-2, `output ${i}: bf16 relative error ${e16}`);
      assert.ok(e16 > 1e-4, `output ${i}: bf16 relative error ${e16} is f32-sized: bf16 not in effect`);
    });
  });
}

test('UNLEARN_PRECISION: f32 by default, bf16 on request, anything else a UsageError naming the values', () => {
  assert.equal(requestedPrecision({}), 'f32');
  assert.equal(requestedPrecision({ UNLEARN_PRECISION: ' BF16 ' }), 'bf16');
  assert.throws(() => requestedPrecision({ UNLEARN_PRECISION: 'fp16' }), {
    name: 'UsageError',
    message: "UNLEARN_PRECISION='fp16' is not a precision; expected one of: f32, bf16",
  });
});

/** `unlearn info --json` under env: exit status, parsed report (or stderr). */
function info(env: Record<string, string>): { status: number | null; json?: { compute: Record<string, string> }; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'unlearn.js'), 'info', '--json'], {
    encoding: 'utf8',
    env: { ...process.env, UNLEARN_BACKEND: '', UNLEARN_PRECISION: '', ...env },
  });
  return { status: r.status, json: r.status === 0 ? JSON.parse(r.stdout) : undefined, stderr: r.stderr };
}

test('bf16 selects onednn and gets its own store identity; f32 keeps the plain one; bf16 with another backend is refused', { skip }, () => {
  const bf = info({ UNLEARN_PRECISION: 'bf16' });
  assert.equal(bf.status, 0, bf.stderr);
  assert.deepEqual(bf.json!.compute, { backend: 'onednn', precision: 'bf16' });
  const f32 = info({ UNLEARN_BACKEND: 'onednn', UNLEARN_PRECISION: 'f32' });
  assert.equal(f32.status, 0, f32.stderr);
  assert.deepEqual(f32.json!.compute, { backend: 'onednn' });
  const clash = info({ UNLEARN_PRECISION: 'bf16', UNLEARN_BACKEND: 'wasm' });
  assert.notEqual(clash.status, 0);
  assert.match(clash.stderr, /UNLEARN_PRECISION=bf16 runs on the onednn backend only, but UNLEARN_BACKEND=wasm/);
});

test('bf16 training is bit-identical at 1 and 2 threads and differs from f32', { skip, timeout: 300_000 }, () => {
  const hash = (threads: string, precision: string) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'helpers', 'train-hash.ts'), '4', '50', 'resnet18k'], {
      encoding: 'utf8',
      env: { ...process.env, UNLEARN_BACKEND: 'onednn', UNLEARN_THREADS: threads, UNLEARN_PRECISION: precision },
    });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim().split(': ').pop()!;
  };
  const one = hash('1', 'bf16');
  assert.match(one, /^[0-9a-f]{16}$/);
  assert.equal(hash('2', 'bf16'), one, 'bf16 parameter hashes at 1 and 2 threads');
  assert.notEqual(hash('1', 'f32'), one, 'bf16 and f32 trained the same bits');
});
