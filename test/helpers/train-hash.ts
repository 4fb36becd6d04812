// Helper of test/backend-native.test.ts: trains a fixed model 3 steps on fixed data and prints the SHA-256 of its
// parameters and buffers (argv: k, batch, arch), so runs under different UNLEARN_THREADS can be compared bit for bit.
import * as tf from '@tensorflow/tfjs-core';
import { createHash } from 'crypto';
import { ensureBackend } from '../../lib/backend/select';
import { createModel } from '../../lib/models/model';
import { createOptimizer, defaultSgd } from '../../lib/train/optimizer';
import { trainStep } from '../../lib/train/loop';
import { crossEntropyLoss } from '../../lib/train/cross-entropy-loss';
import { rng } from '../../lib/util/rng';
(async () => {
  await ensureBackend();
  const k = Number(process.argv[2] ?? 4),
    n = Number(process.argv[3] ?? 64);
  const spec = { arch: process.argv[4] ?? 'resnet18k', k, numClasses: 10, inputShape: [32, 32, 3] as [number, number, number] };
  const r = rng(1, 'x');
  const x = new Float32Array(n * 3072).map(() => r.normal()),
    y = new Int32Array(n).map(() => r.int(10));
  const model = createModel(spec, 0);
  const opt = createOptimizer(model.params, defaultSgd);
  for (let i = 0; i < 3; i++)
    tf.dispose(
      Object.values(
        trainStep({
          model,
          optimizer: opt,
          phase: { loss: crossEntropyLoss },
          input: { batch: { x, y, n }, extra: {}, shape: spec.inputShape, extraShapes: {} },
          lr: 0.05,
        }),
      ),
    );
  const h = createHash('sha256');
  for (const v of [...Object.values(model.params), ...Object.values(model.buffers)])
    h.update(Buffer.from(((await v.data()) as Float32Array).buffer));
  console.log(`${spec.arch} k=${k} n=${n} threads=${process.env.UNLEARN_THREADS}: ${h.digest('hex').slice(0, 16)}`);
})();
