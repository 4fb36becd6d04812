// Benchmark of decision-region grid inference (lib/metrics/decision-regions.ts planeClasses, the hot path of
// the decision-region metrics): images/second for ResNet-18k at k = 4 and 16 on the default backend, per batch
// size, beside a plain forward pass on ready-made inputs (the cost floor).
// Run: npx tsx bench/grid.ts [--quick] [--k 4,16] [--batch 128,256,512] [--resolution 32]
import * as tf from '@tensorflow/tfjs-core';
import { ensureBackend } from '../lib/backend/select';
import { createModel, defaultSpec, disposeModel, forward } from '../lib/models';
import { gridPoints, makePlane, planeGrid } from '../lib/metrics/plane';
import { planeClassesAsync } from '../lib/metrics/decision-regions';
import { rng } from '../lib/util/rng';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
}
const quick = process.argv.includes('--quick');
const ks = arg('k', '4,16').split(',').map(Number);
const batches = arg('batch', quick ? '256' : '128,256,512')
  .split(',')
  .map(Number);
const resolution = Number(arg('resolution', quick ? '16' : '32'));

async function main(): Promise<void> {
  const info = await ensureBackend();
  const spec = { ...defaultSpec, arch: 'resnet18k' };
  const D = spec.inputShape[0] * spec.inputShape[1] * spec.inputShape[2];
  const r = rng(0, 'bench-grid');
  const img = () => Float32Array.from({ length: D }, () => r.normal());
  const plane = makePlane(img(), img(), img());
  const coords = gridPoints(planeGrid(plane.anchors, { resolution }));
  const n = coords.length / 2;
  console.log(`backend ${info.choice}; ${n} grid images (resolution ${resolution}) per timing; a 75x75 plane = 5625 images`);
  console.log('  arch        k   batch   grid img/s   forward-only img/s   s per 75x75 plane');
  for (const k of ks) {
    const model = createModel({ ...spec, k }, 0);
    for (const bs of batches) {
      await planeClassesAsync(model, plane, coords.subarray(0, 2 * Math.min(n, bs)), { batchSize: bs }); // warm-up
      const t0 = performance.now();
      await planeClassesAsync(model, plane, coords, { batchSize: bs });
      const gridRate = n / ((performance.now() - t0) / 1000);
      // Forward pass alone on a ready input of the same batch size (no grid construction, no arg-max readback).
      const x = tf.randomNormal([bs, ...spec.inputShape]) as tf.Tensor4D;
      const once = async () => {
        const y = tf.tidy(() => forward(model, x));
        await y.data();
        y.dispose();
      };
      await once();
      const reps = Math.max(1, Math.round(n / bs));
      const t1 = performance.now();
      for (let i = 0; i < reps; i++) await once();
      const fwdRate = (reps * bs) / ((performance.now() - t1) / 1000);
      x.dispose();
      console.log(
        `  resnet18k ${String(k).padStart(3)}   ${String(bs).padStart(5)}   ${gridRate.toFixed(1).padStart(10)}   ${fwdRate.toFixed(1).padStart(18)}   ${(5625 / gridRate).toFixed(2).padStart(17)}`,
      );
    }
    disposeModel(model);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
