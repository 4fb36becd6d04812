// Classification error and per-example cross-entropy from logits (pure functions on arrays).
import type { Logits } from './predict';

/** Arg-max class of each row. */
export function argmaxRows(l: Logits): Int32Array {
  const out = new Int32Array(l.n);
  for (let i = 0; i < l.n; i++) {
    let best = 0;
    for (let c = 1; c < l.numClasses; c++) if (l.values[i * l.numClasses + c] > l.values[i * l.numClasses + best]) best = c;
    out[i] = best;
  }
  return out;
}

/**
 * Share of rows whose arg-max differs from `labels` (labels[i] belongs to row i).
 * @example
 * errorRate({ values: Float32Array.of(2, 1, 0, 3), n: 2, numClasses: 2 }, [0, 0]); // 0.5
 */
export function errorRate(l: Logits, labels: ArrayLike<number>): number {
  if (l.n === 0) return NaN;
  const pred = argmaxRows(l);
  let wrong = 0;
  for (let i = 0; i < l.n; i++) if (pred[i] !== labels[i]) wrong++;
  return wrong / l.n;
}

/** Per-example cross-entropy −log softmax(row)[label], computed stably in float64. */
export function crossEntropyRows(l: Logits, labels: ArrayLike<number>): Float64Array {
  const out = new Float64Array(l.n);
  const C = l.numClasses;
  for (let i = 0; i < l.n; i++) {
    let max = -Infinity;
    for (let c = 0; c < C; c++) max = Math.max(max, l.values[i * C + c]);
    let sum = 0;
    for (let c = 0; c < C; c++) sum += Math.exp(l.values[i * C + c] - max);
    out[i] = Math.log(sum) + max - l.values[i * C + labels[i]];
  }
  return out;
}

/** Labels of `indices` taken from a per-data-set label array. */
export function labelsAt(labels: ArrayLike<number>, indices: ArrayLike<number>): Int32Array {
  const out = new Int32Array(indices.length);
  for (let j = 0; j < indices.length; j++) out[j] = labels[indices[j]];
  return out;
}
