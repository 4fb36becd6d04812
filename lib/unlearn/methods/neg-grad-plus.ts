// NegGrad+ (Kurmanji et al., NeurIPS 2023, "Towards unbounded machine unlearning"): minimise
// beta·CE(retain) − (1 − beta)·CE(forget), one retain and one forget batch per step.
import * as tf from '@tensorflow/tfjs-core';
import type { BaseHyper, Method } from '../types';
import { trainCopy } from '../train-copy';
import { crossEntropyOn } from '../../train/cross-entropy-loss';
import { baseSchema, unitInterval } from '../hyper-schema';

export interface NegGradPlusHyper extends BaseHyper {
  /** Weight of the retain loss; 1 − beta weighs the (negated) forget loss. */
  beta: number;
}

export const negGradPlus: Method<NegGradPlusHyper> = {
  describe: 'NegGrad+: beta·CE(retain) − (1 − beta)·CE(forget) (Kurmanji et al. 2023)',
  usesForget: true,
  tuned: true,
  defaults: { lr: 0.01, epochs: 2, beta: 0.95 },
  schema: { ...baseSchema, beta: unitInterval },
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
    ),
};
