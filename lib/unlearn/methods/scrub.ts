// SCRUB (Kurmanji et al., NeurIPS 2023): student initialised from the original (teacher). The first
// `msteps` epochs alternate a max-step pass over forget (maximise KL(teacher‖student) at temperature T)
// and a min-step pass over retain (gamma·CE + alpha·KL); later epochs do min-steps only.
import * as tf from '@tensorflow/tfjs-core';
import { forward } from '../../models/model';
import { crossEntropy, distillKL } from '../../train/losses';
import type { BaseHyper, Method } from '../types';
import { trainCopy } from '../train-copy';
import { baseSchema, nonNegative, nonNegativeInt, positive } from '../hyper-schema';

export interface ScrubHyper extends BaseHyper {
  /** Epochs that include a max-step pass over forget. */
  msteps: number;
  /** Distillation temperature. */
  T: number;
  /** Weight of the retain cross-entropy in min-steps. */
  gamma: number;
  /** Weight of the retain KL to the teacher in min-steps. */
  alpha: number;
}

export const scrub: Method<ScrubHyper> = {
  describe: 'SCRUB: max KL(teacher‖student) on forget, min gamma·CE + alpha·KL on retain (Kurmanji et al. 2023)',
  usesForget: true,
  tuned: true,
  // The reference's defaults (SGD lr 5e-4, T 4, gamma 0.99, alpha 0.001, msteps 2, 3–5 epochs).
  defaults: { lr: 0.0005, epochs: 3, msteps: 2, T: 4, gamma: 0.99, alpha: 0.001 },
  schema: { ...baseSchema, msteps: nonNegativeInt, T: positive, gamma: nonNegative, alpha: nonNegative },
  run: (teacher, data, hp, ctx) =>
    trainCopy(
      teacher,
      [
        {
          name: 'max-forget',
          source: data.forget,
          runs: (epoch) => epoch < hp.msteps,
          loss: ({ model, batch }) => {
            const s = forward(model, batch.x, { training: true });
            const t = forward(teacher, batch.x, { training: false });
            return { loss: tf.neg(distillKL(s, t, hp.T)) as tf.Scalar };
          },
        },
        {
          name: 'min-retain',
          source: data.retain,
          loss: ({ model, batch }) => {
            const s = forward(model, batch.x, { training: true });
            const t = forward(teacher, batch.x, { training: false });
            const loss = tf.add(tf.mul(crossEntropy(s, batch.y), hp.gamma), tf.mul(distillKL(s, t, hp.T), hp.alpha)) as tf.Scalar;
            return { loss, logits: s };
          },
        },
      ],
      hp,
      ctx,
    ),
};
