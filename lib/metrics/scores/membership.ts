// Membership metrics: the paper's loss-based MIA (appendix B.1) under the configured protocol and draws, and the
// logit-scaled-confidence attack (Carlini et al. 2022) forget vs test — AUC and TPR at low FPR.
import { attackSummary } from '../confidence-attack';
import { meanOf } from '../features';
import { miaOfFeatures } from '../mia-protocol';
import type { MetricDef, MetricInput } from './types';

const confidence = ({ features: f }: MetricInput) => attackSummary(f.forget.score, f.test.score);

export const mia: MetricDef = {
  describe:
    'loss-threshold MIA accuracy, logistic regression under the configured protocol, mean over non-member draws (0.5 = chance = best privacy)',
  compute: ({ features, params, seed }) => {
    const r = miaOfFeatures(features, params.mia, seed);
    return { value: r.value, interval: r.interval, byExample: r.draws };
  },
};
export const confidenceAuc: MetricDef = {
  describe: 'logit-confidence attack AUC, forget vs test (0.5 = best privacy)',
  compute: (i) => ({ value: confidence(i).auc }),
};
export const tprAt1Fpr: MetricDef = {
  describe: 'confidence attack TPR at 1% FPR (≈ 0.01 = best privacy)',
  compute: (i) => ({ value: confidence(i).tprAt1Fpr }),
};
export const tprAt01Fpr: MetricDef = {
  describe: 'confidence attack TPR at 0.1% FPR (≈ 0.001 = best privacy)',
  compute: (i) => ({ value: confidence(i).tprAt01Fpr }),
};
export const forgetLoss: MetricDef = {
  describe: 'mean cross-entropy on the forget set (training labels)',
  compute: ({ features: f }) => ({ value: meanOf(f.forget.loss), byExample: f.forget.loss }),
};
export const testLoss: MetricDef = {
  describe: 'mean cross-entropy on the test examples',
  compute: ({ features: f }) => ({ value: meanOf(f.test.loss) }),
};
