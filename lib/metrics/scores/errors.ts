// Error metrics (SPEC "Metrics: Errors"): retain, forget (against the training labels and the true labels),
// validation and test error, and the privacy goal's forget–validation gap (paper Fig. 1).
import { errorOf, type SplitFeatures } from '../features';
import type { MetricDef } from './types';

const wrong = (s: SplitFeatures, labels: ArrayLike<number> = s.labels) => ({
  value: errorOf(s, labels),
  byExample: Int8Array.from(s.pred, (p, i) => (p !== labels[i] ? 1 : 0)),
});

export const testError: MetricDef = { describe: 'test error (lower: better utility)', compute: ({ features: f }) => wrong(f.test) };
export const validationError: MetricDef = { describe: 'validation error', compute: ({ features: f }) => wrong(f.validation) };
export const retainError: MetricDef = { describe: 'retain error', compute: ({ features: f }) => wrong(f.retain) };
export const forgetError: MetricDef = {
  describe: 'forget error against the training labels (privacy: ≈ validation error; bias: higher = bias removed)',
  compute: ({ features: f }) => wrong(f.forget),
};
export const forgetErrorTrue: MetricDef = {
  describe: 'forget error against the true labels',
  compute: ({ features: f }) => wrong(f.forget, f.forget.trueLabels),
};
export const forgetGap: MetricDef = {
  describe: '|forget error − validation error| (privacy: lower)',
  compute: ({ features: f }) => ({ value: Math.abs(errorOf(f.forget) - errorOf(f.validation)) }),
};
