// Comparisons with the retrained oracle of the same width and seed, per forget example: how often the model
// predicts what retraining predicts, and how much more confident it is than retraining (0 = like never seen).
import type { MetricDef } from './types';
import { meanOf } from '../features';

export const retrainAgreement: MetricDef = {
  describe: 'share of forget examples predicted as the retrained model predicts them (1 = like retraining)',
  needs: 'retrain',
  compute: ({ features: f, retrain: r }) => {
    if (!r) return { value: NaN };
    const same = Int8Array.from(f.forget.pred, (p, i) => (p === r.forget.pred[i] ? 1 : 0));
    return { value: meanOf(same), byExample: same };
  },
};
export const retrainScoreGap: MetricDef = {
  describe: "mean logit-scaled confidence on forget minus the retrained model's (0 = like retraining; > 0 = still remembered)",
  needs: 'retrain',
  compute: ({ features: f, retrain: r }) => {
    if (!r) return { value: NaN };
    const gap = Float64Array.from(f.forget.score, (s, i) => s - r.forget.score[i]);
    return { value: meanOf(gap), byExample: gap };
  },
};
