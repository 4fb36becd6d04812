// NegGrad+ (Kurmanji et al., NeurIPS 2023, "Towards unbounded machine unlearning"): minimise
// beta·CE(retain) − (1 − beta)·CE(forget), one retain and one (cycling) forget batch per step, batch norm in
// training mode (meghdadk/SCRUB thirdparty/repdistiller/helper/loops.py:12–52, `train_negrad`). Its optimiser is
// the reference's: plain SGD, no momentum, no weight decay (MIA_experiments.ipynb line 463), as hyperparameters.
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from '../../train/optimizer';
import type { BaseHyper, Method } from '../types';
import { trainCopy } from '../train-copy';
import { crossEntropyOn } from '../../train/cross-entropy-loss';
import { baseSchema, nonNegative, unitInterval } from '../hyper-schema';

export interface NegGradPlusHyper extends BaseHyper {
  /** Weight of the retain loss; 1 − beta weighs the (negated) forget loss. */
  beta: number;
  /** SGD momentum (the reference: 0). */
  momentum: number;
  /** SGD weight decay, L2 added to the gradient (the reference: 0). */
  weightDecay: number;
}

/**
 * The optimiser NegGrad+ trains with: SGD with the run's momentum and weight decay.
 * @example
 * negGradPlusOptimizer(negGradPlus.defaults); // { kind: 'sgd', momentum: 0, weightDecay: 0 }
 */
export function negGradPlusOptimizer(hp: Pick<NegGradPlusHyper, 'momentum' | 'weightDecay'>): OptimizerConfig {
  return { kind: 'sgd', momentum: hp.momentum, weightDecay: hp.weightDecay };
}

export const negGradPlus: Method<NegGradPlusHyper> = {
  describe: 'NegGrad+: beta·CE(retain) − (1 − beta)·CE(forget), plain SGD (Kurmanji et al. 2023)',
  usesForget: true,
  tuned: true,
  // The reference's privacy run (MIA_experiments.ipynb lines 910–912): beta (`ng_alpha`) 0.9999, 5 epochs, lr 0.01.
  defaults: { lr: 0.01, epochs: 5, beta: 0.9999, momentum: 0, weightDecay: 0 },
  schema: { ...baseSchema, beta: unitInterval, momentum: { min: 0, max: 1, maxExclusive: true }, weightDecay: nonNegative },
  run: (original, data, hp, ctx) =>
    trainCopy(
      original,
      [
        {
          name: 'retain',
          source: data.retain,
          extra: { forget: data.forget },
          loss: ({ model, batch, extra }) => {
            const r = crossEntropyOn(model, batch);
            const f = crossEntropyOn(model, extra.forget);
            return { loss: tf.sub(tf.mul(r.loss, hp.beta), tf.mul(f.loss, 1 - hp.beta)) as tf.Scalar, logits: r.logits };
          },
        },
      ],
      hp,
      ctx,
      { optimizer: negGradPlusOptimizer(hp) },
    ),
};
