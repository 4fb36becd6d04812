// Gradient ascent on the forget set: maximise its cross-entropy (NegGrad; Golatkar et al. 2020, Thudi et al. 2022).
import * as tf from '@tensorflow/tfjs-core';
import type { BaseHyper, Method } from '../types';
import { ceOn, trainCopy } from '../train-copy';
import { baseSchema } from '../hyper-schema';

export const gradAscent: Method<BaseHyper> = {
  describe: 'gradient ascent on the forget-set cross-entropy',
  usesForget: true,
  tuned: true,
  defaults: { lr: 0.001, epochs: 5 },
  schema: baseSchema,
  grids: {
    smoke: { lr: [0.001], epochs: [2] },
    cpu: { lr: [0.002, 0.005, 0.01, 0.02], epochs: [5, 10, 20] },
    paper: { lr: [0.0001, 0.0005, 0.002], epochs: [3, 10, 20] },
  },
  run: (original, data, hp, ctx) =>
    trainCopy(original, [{
      name: 'forget', source: data.forget,
      loss: ({ model, batch }) => { const r = ceOn(model, batch); return { loss: tf.neg(r.loss) as tf.Scalar, logits: r.logits }; },
    }], hp, ctx),
};
