// Gradient ascent on the forget set: maximise its cross-entropy (NegGrad; Golatkar et al. 2020, Thudi et al. 2022).
import * as tf from '@tensorflow/tfjs-core';
import type { BaseHyper, Method } from '../types';
import { trainCopy } from '../train-copy';
import { crossEntropyOn } from '../../train/cross-entropy-loss';
import { baseSchema } from '../hyper-schema';

export const gradAscent: Method<BaseHyper> = {
  describe: 'gradient ascent on the forget-set cross-entropy',
  usesForget: true,
  tuned: true,
  defaults: { lr: 0.001, epochs: 5 },
  schema: baseSchema,
  run: (original, data, hp, ctx) =>
    trainCopy(
      original,
      [
        {
          name: 'forget',
          source: data.forget,
          loss: ({ model, batch }) => {
            const r = crossEntropyOn(model, batch);
            return { loss: tf.neg(r.loss) as tf.Scalar, logits: r.logits };
          },
        },
      ],
      hp,
      ctx,
    ),
};
