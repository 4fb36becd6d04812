// l1-sparse unlearning (Jia, Liu et al., NeurIPS 2023, "Model sparsity can simplify machine unlearning"):
// fine-tune on retain with CE + α_e·‖w‖₁ over all parameters, α_e = α·(1 − e/E) in 0-based epoch e of E (never 0),
// SGD momentum 0.9, weight decay 5e-4, constant lr, as OPTML-Group/Unlearn-Sparse's `FT_l1`
// (unlearn/FT.py:14–18 the norm, :92–95 the decay; arg_parser.py:69–70 the optimiser, :76 lr milestones 91, 136 that
// a 10-epoch run never reaches). Uses no forget example.
import * as tf from '@tensorflow/tfjs-core';
import type { Phase } from '../../train/loop';
import type { BaseHyper, Method, UnlearnData } from '../types';
import { trainCopy, unlearnOptimizer } from '../train-copy';
import { crossEntropyOn } from '../../train/cross-entropy-loss';
import { sumOf } from '../../train/losses';
import { baseSchema, nonNegative, positiveInt } from '../hyper-schema';

export interface L1SparseHyper extends BaseHyper {
  /** Initial weight α of the L1 penalty (sum of |w| over all trainable parameters). */
  alpha: number;
  /** Batch size of the retain passes. */
  batchSize: number;
}

/**
 * The L1 weight in 0-based `epoch` of `epochs`: α·(1 − epoch/epochs), constant within an epoch.
 * @example
 * [0, 1, 2, 3, 4].map((e) => l1AlphaAt(1e-3, e, 5)); // [1e-3, 8e-4, 6e-4, 4e-4, 2e-4]
 */
export function l1AlphaAt(alpha: number, epoch: number, epochs: number): number {
  return alpha * (1 - epoch / epochs);
}

/**
 * The one phase: CE on a retain batch plus α_e·‖w‖₁.
 * @example
 * trainCopy(original, l1SparsePhases(data, hp), hp, ctx, { batchSize: hp.batchSize });
 */
export function l1SparsePhases(data: UnlearnData, hp: L1SparseHyper): Phase[] {
  return [
    {
      name: 'retain',
      source: data.retain,
      loss: ({ model, batch, epoch }) => {
        const r = crossEntropyOn(model, batch);
        const l1 = sumOf(Object.values(model.params).map((w) => tf.sum(tf.abs(w))));
        return { loss: tf.add(r.loss, tf.mul(l1, l1AlphaAt(hp.alpha, epoch, hp.epochs))) as tf.Scalar, logits: r.logits };
      },
    },
  ];
}

export const l1Sparse: Method<L1SparseHyper> = {
  describe: 'l1-sparse: fine-tune on retain with CE + α·(1 − e/E)·‖w‖₁ in epoch e of E (Jia et al. 2023)',
  usesForget: false,
  tuned: true,
  // lr 0.01 and 10 epochs: the reference README's ℓ1-sparse command (README.MD line 86, which leaves α open); batch
  // 256: arg_parser.py:67, the one --batch_size its training and unlearning share (main_forget.py:42).
  defaults: { lr: 0.01, epochs: 10, alpha: 5e-4, batchSize: 256 },
  schema: { ...baseSchema, alpha: nonNegative, batchSize: positiveInt },
  run: (original, data, hp, ctx) =>
    trainCopy(original, l1SparsePhases(data, hp), hp, ctx, { optimizer: unlearnOptimizer, batchSize: hp.batchSize }),
};
