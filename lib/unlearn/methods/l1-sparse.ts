// l1-sparse unlearning (Jia, Liu et al., NeurIPS 2023, "Model sparsity can simplify machine unlearning"):
// fine-tune on retain with CE + a_t·‖w‖₁, a_t decaying linearly from alpha to 0. Uses no forget example.
import * as tf from '@tensorflow/tfjs-core';
import type { BaseHyper, Method } from '../types';
import { trainCopy } from '../train-copy';
import { crossEntropyOn } from '../../train/cross-entropy-loss';
import { sumOf } from '../../train/losses';
import { baseSchema, nonNegative } from '../hyper-schema';

export interface L1SparseHyper extends BaseHyper {
  /** Initial weight a_0 of the L1 penalty (sum of |w| over all trainable parameters). */
  alpha: number;
}

export const l1Sparse: Method<L1SparseHyper> = {
  describe: 'l1-sparse: fine-tune on retain with CE + a_t·‖w‖₁, a_t linear to 0 (Jia et al. 2023)',
  usesForget: false,
  tuned: true,
  defaults: { lr: 0.01, epochs: 5, alpha: 5e-4 },
  schema: { ...baseSchema, alpha: nonNegative },
  run: (original, data, hp, ctx) =>
    trainCopy(
      original,
      [
        {
          name: 'retain',
          source: data.retain,
          loss: ({ model, batch, progress }) => {
            const r = crossEntropyOn(model, batch);
            const l1 = sumOf(Object.values(model.params).map((w) => tf.sum(tf.abs(w))));
            return { loss: tf.add(r.loss, tf.mul(l1, hp.alpha * (1 - progress))) as tf.Scalar, logits: r.logits };
          },
        },
      ],
      hp,
      ctx,
    ),
};
