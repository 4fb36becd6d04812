// A batch source whose labels are replaced by random wrong labels, redrawn each epoch from its seeded rng
// (the "random labels" unlearning baseline, Golatkar et al. 2020; Kurmanji et al. 2023).
import type { BatchSource, HostBatch } from '../train/source';
import type { Rng } from '../util/rng';

/**
 * Wraps `src` so every label y becomes a uniformly drawn class ≠ y.
 * @example
 * const confused = randomWrongLabels(data.forget, 10);
 */
export function randomWrongLabels(src: BatchSource, numClasses: number): BatchSource {
  return {
    size: src.size,
    shape: src.shape,
    *epoch(r: Rng, batchSize: number): Iterable<HostBatch> {
      const lr = r.fork('relabel');
      for (const b of src.epoch(r, batchSize)) {
        const y = new Int32Array(b.n);
        for (let i = 0; i < b.n; i++) y[i] = (b.y[i] + 1 + lr.int(numClasses - 1)) % numClasses;
        yield { x: b.x, y, n: b.n };
      }
    },
  };
}
