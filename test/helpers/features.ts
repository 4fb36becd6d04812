// Hand-made stored features with chosen error rates (and optionally chosen losses), for tests of scoring, tuning
// and rows: every split has `n` rows of label 0; the first round(error·n) are predicted as class 1.
import type { ModelFeatures, SplitFeatures } from '../../lib/metrics/features';

export interface ToyErrors {
  retain?: number;
  forget?: number;
  validation?: number;
  test?: number;
  n?: number;
  forgetLoss?: number[];
  testLoss?: number[];
}

function split(error: number, n: number, loss?: number[]): SplitFeatures {
  const m = loss?.length ?? n;
  const wrong = Math.round(error * m);
  return {
    labels: new Int32Array(m),
    pred: Int32Array.from({ length: m }, (_, i) => (i < wrong ? 1 : 0)),
    loss: Float64Array.from(loss ?? Array.from({ length: m }, (_, i) => (i < wrong ? 2 : 0.1))),
    score: Float64Array.from(loss ?? Array.from({ length: m }, (_, i) => (i < wrong ? -2 : 2))),
  };
}

/**
 * Features whose errors are the given rates (default 0) on `n` rows per split (default 100).
 * @example
 * const f = toyFeatures({ validation: 0.3, forget: 0.1 }); errorOf(f.validation); // 0.3
 */
export function toyFeatures(e: ToyErrors = {}): ModelFeatures {
  const n = e.n ?? 100;
  const f = split(e.forget ?? 0, n, e.forgetLoss);
  return {
    numClasses: 2,
    forget: { ...f, trueLabels: f.labels.slice(), lossTrue: f.loss.slice(), scoreTrue: f.score.slice() },
    retain: split(e.retain ?? 0, n),
    validation: split(e.validation ?? 0, n),
    test: split(e.test ?? 0, n, e.testLoss),
  };
}
